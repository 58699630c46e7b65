// Is a webhook delivery from someone who knows the secret? GitHub signs the raw body (HMAC-SHA256),
// GitLab sends the secret as a token, anything else may do either. Comparisons run in constant time.
import { createHmac } from 'node:crypto';
import { safeEqual } from '../safe-equal.ts';

export type Verification = { verified: true; via: 'github' | 'gitlab' | 'signature' | 'bearer' } | { verified: false; reason: string };

function signatureMatches(header: string, body: Buffer, secret: string): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return safeEqual(header.trim().toLowerCase(), expected);
}

/** Checks the first credential the delivery carries; the reason never repeats what was sent. */
export function verifyDelivery(header: (name: string) => string | undefined, body: Buffer, secret: string): Verification {
  const github = header('x-hub-signature-256');
  if (github !== undefined) {
    return signatureMatches(github, body, secret)
      ? { verified: true, via: 'github' }
      : { verified: false, reason: 'X-Hub-Signature-256 does not match the body' };
  }
  const gitlab = header('x-gitlab-token');
  if (gitlab !== undefined) {
    return safeEqual(gitlab, secret)
      ? { verified: true, via: 'gitlab' }
      : { verified: false, reason: 'X-Gitlab-Token is not the webhook secret' };
  }
  const signature = header('x-wren-signature');
  if (signature !== undefined) {
    return signatureMatches(signature, body, secret)
      ? { verified: true, via: 'signature' }
      : { verified: false, reason: 'X-Wren-Signature does not match the body' };
  }
  const bearer = /^Bearer\s+(.+)$/i.exec(header('authorization') ?? '')?.[1];
  if (bearer !== undefined) {
    return safeEqual(bearer.trim(), secret)
      ? { verified: true, via: 'bearer' }
      : { verified: false, reason: 'the bearer token is not the webhook secret' };
  }
  return { verified: false, reason: 'no credential: send X-Hub-Signature-256, X-Gitlab-Token, X-Wren-Signature or Authorization: Bearer' };
}
