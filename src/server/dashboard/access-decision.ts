// Whether one dashboard request may go ahead: a pure function of what the operator was started with
// and what the API server answered (TokenReview: who the bearer token belongs to; SubjectAccessReview:
// whether that user may do the same thing with kubectl or the wren CLI).
import type { Permission, TokenReviewResult } from '../../kube/token-review.ts';

export type { Permission, TokenReviewResult };

export interface AccessRequest {
  /** Reads show the caches; actions change the cluster. */
  kind: 'read' | 'action';
  /** The operator's --dashboard-anonymous-read: reads need no token. */
  anonymousRead: boolean;
  hasToken: boolean;
  permission: Permission;
}

export type AccessDecision = { allow: true; user?: string; reason: string } | { allow: false; status: 401 | 403; reason: string };

/** Whether the request has to be put to the API server at all (a read in anonymous-read mode does not). */
export function needsReview(request: AccessRequest): boolean {
  return !(request.kind === 'read' && request.anonymousRead);
}

export function describePermission(permission: Permission): string {
  const resource = permission.group ? `${permission.resource}.${permission.group}` : permission.resource;
  return `${permission.verb} ${resource} ${permission.namespace ? `in namespace ${permission.namespace}` : 'in all namespaces'}`;
}

/**
 * The decision. `review` is the TokenReview's answer (undefined when none was made) and `allowed` the
 * SubjectAccessReview's (undefined when none was made).
 */
export function decideAccess(request: AccessRequest, review: TokenReviewResult | undefined, allowed: boolean | undefined): AccessDecision {
  // Reads are public in this mode, so a token (given for actions) changes nothing about them.
  if (request.kind === 'read' && request.anonymousRead) {
    return { allow: true, reason: 'anonymous read-only access is enabled (--dashboard-anonymous-read)' };
  }
  if (!request.hasToken) {
    const what = request.kind === 'action' ? 'actions need' : 'reading needs';
    return { allow: false, status: 401, reason: `${what} a bearer token (kubectl create token ...)` };
  }
  if (!review) return { allow: false, status: 401, reason: 'the token was not reviewed' };
  if (!review.authenticated) {
    return { allow: false, status: 401, reason: `the token is not valid${review.error ? `: ${review.error}` : ''}` };
  }
  const wanted = describePermission(request.permission);
  if (allowed !== true) return { allow: false, status: 403, reason: `${review.user} may not ${wanted}` };
  return { allow: true, user: review.user, reason: `${review.user} may ${wanted}` };
}
