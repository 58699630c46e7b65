// Whether a user may do something, as the API server's authorizer answers (SubjectAccessReview).
// Used where Wren reads from its own watch caches on behalf of another identity: it shows that
// identity only what the identity itself may read. Answers are remembered for a minute.
import type { KubeClient } from './client.ts';
import type { ResourceType } from './resource-types.ts';

const TTL_MS = 60_000;

interface Review {
  status?: { allowed?: boolean };
}

/** The groups the API server gives a ServiceAccount user, so a review decides as a real request would. */
export function groupsOf(user: string): string[] {
  const match = /^system:serviceaccount:([^:]+):[^:]+$/.exec(user);
  return match ? ['system:serviceaccounts', `system:serviceaccounts:${match[1]}`, 'system:authenticated'] : ['system:authenticated'];
}

/** What a SubjectAccessReview asks: may this user (with these groups and extra) do this? */
export interface AccessQuestion {
  user: string;
  groups: string[];
  extra?: Record<string, string[]>;
  resourceAttributes: { verb: string; group: string; resource: string; namespace?: string };
}

/** The authorizer's answer to one SubjectAccessReview (not remembered). */
export async function isAllowed(client: KubeClient, question: AccessQuestion): Promise<boolean> {
  const review = await client.request<Review>({
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: question }),
    resource: 'subjectaccessreviews',
  });
  return review.status?.allowed === true;
}

export class AccessReviews {
  private readonly client: KubeClient;
  private readonly answers = new Map<string, { allowed: boolean; at: number }>();
  private readonly now: () => number;

  constructor(client: KubeClient, now: () => number = Date.now) {
    this.client = client;
    this.now = now;
  }

  async allowed(user: string, verb: string, type: ResourceType, namespace: string | undefined): Promise<boolean> {
    const key = [user, verb, type.group, type.plural, namespace ?? ''].join('|');
    const known = this.answers.get(key);
    if (known && this.now() - known.at < TTL_MS) return known.allowed;
    const allowed = await isAllowed(this.client, {
      user,
      groups: groupsOf(user),
      resourceAttributes: { verb, group: type.group, resource: type.plural, ...(namespace ? { namespace } : {}) },
    });
    this.answers.set(key, { allowed, at: this.now() });
    return allowed;
  }
}
