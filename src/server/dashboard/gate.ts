// Puts one dashboard request to the API server as the decision needs it: TokenReview for the bearer
// token, then SubjectAccessReview for the permission, then decideAccess(). Effects here, rules there.
import type { Identity, Permission, TokenReviewResult } from '../../kube/token-review.ts';
import { decideAccess, needsReview, type AccessDecision } from './access-decision.ts';

export interface Reviewer {
  review(token: string): Promise<TokenReviewResult>;
  allowed(identity: Identity, permission: Permission): Promise<boolean>;
}

/** The token of an "Authorization: Bearer TOKEN" header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

export async function checkAccess(
  reviewer: Reviewer,
  authorization: string | undefined,
  kind: 'read' | 'action',
  anonymousRead: boolean,
  permission: Permission,
): Promise<AccessDecision> {
  const token = bearerToken(authorization);
  const request = { kind, anonymousRead, hasToken: token !== undefined, permission };
  if (!needsReview(request) || token === undefined) return decideAccess(request, undefined, undefined);
  const review = await reviewer.review(token);
  const allowed = review.authenticated ? await reviewer.allowed(review, permission) : undefined;
  return decideAccess(request, review, allowed);
}
