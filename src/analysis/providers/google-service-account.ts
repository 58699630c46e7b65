// A Google service-account key (the JSON file Google issues) turned into an OAuth2 access token with
// the JWT-bearer grant: an RS256-signed JWT (node:crypto) posted to the key's token_uri. Pure parts
// build the assertion and the token request and read the answer; the caller makes the call.
import { createSign } from 'node:crypto';
import type { ApiRequest } from './json-api.ts';

export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  project_id?: string;
  token_uri: string;
}

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const MONITORING_READ_SCOPE = 'https://www.googleapis.com/auth/monitoring.read';
const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const ASSERTION_LIFETIME_S = 3600;

/** The key in the secret key serviceAccountKey; throws naming what is missing, never quoting the key. */
export function parseServiceAccountKey(text: string, secret: string | undefined): ServiceAccountKey {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`secret ${secret} key serviceAccountKey is not JSON (a Google service-account key file)`);
  }
  for (const field of ['client_email', 'private_key'] as const) {
    if (typeof parsed[field] !== 'string' || parsed[field] === '')
      throw new Error(`secret ${secret} key serviceAccountKey has no ${field}`);
  }
  return {
    ...(parsed as unknown as ServiceAccountKey),
    token_uri: typeof parsed.token_uri === 'string' && parsed.token_uri ? parsed.token_uri : DEFAULT_TOKEN_URI,
  };
}

const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** The signed JWT that asks for a token with the given scope, valid for an hour from now. */
export function signedAssertion(key: ServiceAccountKey, scope: string, now: Date): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) };
  const claims = { iss: key.client_email, scope, aud: key.token_uri, iat: issuedAt, exp: issuedAt + ASSERTION_LIFETIME_S };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(key.private_key);
  return `${unsigned}.${base64url(signature)}`;
}

export function tokenRequest(key: ServiceAccountKey, scope: string, now: Date): ApiRequest {
  return {
    method: 'POST',
    url: key.token_uri,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: signedAssertion(key, scope, now) }).toString(),
  };
}

export function accessToken(answer: unknown): string {
  const token = (answer as { access_token?: unknown } | null)?.access_token;
  if (typeof token !== 'string' || token === '') throw new Error('the token endpoint answered without an access_token');
  return token;
}
