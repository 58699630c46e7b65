// How a failed canary reaches the ImagePolicies it concerns: Canaries are indexed by the GitSync that
// released them (status.release.gitSync), ImagePolicies by the GitSync they write to, both as
// "namespace/name", so either side finds the other without a scan of the cache.
import type { Canary } from '../api/canary.ts';
import type { ImagePolicy } from '../api/image-policy.ts';
import type { Informer } from '../kube/informer.ts';
import { keyOf } from '../kube/objects.ts';

const RELEASED_BY_INDEX = 'imagepolicy.releasedBy';
const WRITES_TO_INDEX = 'imagepolicy.writesTo';

const gitSyncOf = (policy: ImagePolicy) => `${policy.metadata?.namespace}/${policy.spec?.gitSyncRef?.name ?? ''}`;

export function indexForQuarantine(canaries: Informer<Canary>, policies: Informer<ImagePolicy>): void {
  canaries.addIndex(RELEASED_BY_INDEX, (canary) => (canary.status?.release?.gitSync ? [canary.status.release.gitSync] : []));
  policies.addIndex(WRITES_TO_INDEX, (policy) => [gitSyncOf(policy)]);
}

/** The Canaries in the policy's namespace that its GitSync released. */
export function canariesReleasedFor(canaries: Informer<Canary>, policy: ImagePolicy): Canary[] {
  return canaries
    .byIndex(RELEASED_BY_INDEX, gitSyncOf(policy))
    .filter((canary) => canary.metadata?.namespace === policy.metadata?.namespace);
}

/** Keys of the ImagePolicies to wake when a Canary changes: only a failure concerns them. */
export function policiesConcernedBy(policies: Informer<ImagePolicy>): (canary: Canary) => string[] {
  return (canary) => {
    const gitSync = canary.status?.release?.gitSync;
    if (canary.status?.phase !== 'Failed' || !gitSync) return [];
    return policies
      .byIndex(WRITES_TO_INDEX, gitSync)
      .filter((policy) => policy.metadata?.namespace === canary.metadata?.namespace)
      .map(keyOf);
  };
}
