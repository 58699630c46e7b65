// Who a bearer token belongs to (TokenReview) and whether that user may do something
// (SubjectAccessReview, with the user's own groups and extra from the TokenReview). The token is sent
// to the API server only: never logged, never kept (answers are remembered by its SHA-256 briefly).
import { createHash } from 'node:crypto';
import { isAllowed } from './access-review.ts';
import type { KubeClient } from './client.ts';

const TTL_MS = 10_000;

/** A verb on a resource, in one namespace or (undefined) all of them. */
export interface Permission {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
}

export type TokenReviewResult =
  { authenticated: true; user: string; groups: string[]; extra?: Record<string, string[]> } | { authenticated: false; error?: string };

interface TokenReview {
  status?: { authenticated?: boolean; user?: { username?: string; groups?: string[]; extra?: Record<string, string[]> }; error?: string };
}

export type Identity = Extract<TokenReviewResult, { authenticated: true }>;

export class TokenReviews {
  private readonly client: KubeClient;
  private readonly tokens = new Map<string, { result: TokenReviewResult; at: number }>();
  private readonly access = new Map<string, { allowed: boolean; at: number }>();
  private readonly now: () => number;

  constructor(client: KubeClient, now: () => number = Date.now) {
    this.client = client;
    this.now = now;
  }

  async review(token: string): Promise<TokenReviewResult> {
    const key = createHash('sha256').update(token).digest('hex');
    const known = this.tokens.get(key);
    if (known && this.now() - known.at < TTL_MS) return known.result;
    const answer = await this.client.request<TokenReview>({
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/tokenreviews',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }),
      resource: 'tokenreviews',
    });
    const user = answer.status?.user;
    const result: TokenReviewResult =
      answer.status?.authenticated === true && user?.username
        ? { authenticated: true, user: user.username, groups: user.groups ?? [], ...(user.extra ? { extra: user.extra } : {}) }
        : { authenticated: false, ...(answer.status?.error ? { error: answer.status.error } : {}) };
    this.remember(this.tokens, key, { result, at: this.now() });
    return result;
  }

  async allowed(identity: Identity, permission: Permission): Promise<boolean> {
    const key = JSON.stringify([identity.user, identity.groups, permission]);
    const known = this.access.get(key);
    if (known && this.now() - known.at < TTL_MS) return known.allowed;
    const allowed = await isAllowed(this.client, {
      user: identity.user,
      groups: identity.groups,
      ...(identity.extra ? { extra: identity.extra } : {}),
      resourceAttributes: {
        verb: permission.verb,
        group: permission.group,
        resource: permission.resource,
        ...(permission.namespace ? { namespace: permission.namespace } : {}),
      },
    });
    this.remember(this.access, key, { allowed, at: this.now() });
    return allowed;
  }

  /** Bounded: drop expired answers once the map grows. */
  private remember<V extends { at: number }>(map: Map<string, V>, key: string, value: V): void {
    if (map.size > 1000) for (const [old, entry] of map) if (this.now() - entry.at >= TTL_MS) map.delete(old);
    map.set(key, value);
  }
}
