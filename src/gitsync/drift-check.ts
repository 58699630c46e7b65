// Classifies each desired object against the cluster: to create, to update (Git changed since the
// last apply), drifted (someone changed the live object), left to a Canary, or unchanged. A
// difference the cheap comparison finds is confirmed with a server-side dry-run, and a confirmed
// "no difference" is remembered per live resourceVersion so the same object is not asked again.
import { KubeApiError } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/client.ts';
import type { KubeObject } from '../kube/objects.ts';
import { canonicalJson } from '../kube/content-hash.ts';
import { isControlledByCanary } from './canary-owned.ts';
import type { DesiredObject } from './desired-objects.ts';
import { comparableContent, driftedPaths } from './drift.ts';
import { describeRef } from './object-key.ts';
import { withSecretDigests } from './secret-digest.ts';
import { SyncError } from './sync-error.ts';
import { appliedHashOf, trackedBy } from './tracking.ts';

export type Verdict = 'create' | 'update' | 'drifted' | 'canary-owned' | 'unchanged';

export interface Classified {
  desired: DesiredObject;
  live: KubeObject | undefined;
  verdict: Verdict;
  /** For drifted objects: the fields that differ. */
  paths?: string[];
}

export class DriftChecker {
  /** key → "resourceVersion:hash" of objects a dry-run showed to be only normalised, not drifted. */
  private readonly confirmedEqual = new Map<string, string>();

  /** `writer` makes the confirming dry-run, as the GitSync's identity. */
  async classify(desired: DesiredObject, live: KubeObject | undefined, tracking: string, writer: KubeClient): Promise<Classified> {
    if (!live) return { desired, live, verdict: 'create' };
    if (isControlledByCanary(live)) return { desired, live, verdict: 'canary-owned' };
    const owner = trackedBy(live);
    if (owner && owner !== tracking) {
      throw new SyncError('validate', `already applied by GitSync ${owner}`, { file: desired.source, object: describeRef(desired.ref) });
    }
    if (appliedHashOf(live) !== desired.hash) return { desired, live, verdict: 'update' };
    const paths = driftedPaths(withSecretDigests(desired.gitView), live);
    if (paths.length === 0) return { desired, live, verdict: 'unchanged' };
    const stamp = `${live.metadata?.resourceVersion}:${desired.hash}`;
    if (this.confirmedEqual.get(desired.key) === stamp) return { desired, live, verdict: 'unchanged' };
    if (await this.dryRunChangesNothing(desired, live, writer)) {
      this.confirmedEqual.set(desired.key, stamp);
      return { desired, live, verdict: 'unchanged' };
    }
    return { desired, live, verdict: 'drifted', paths };
  }

  private async dryRunChangesNothing(desired: DesiredObject, live: KubeObject, writer: KubeClient): Promise<boolean> {
    if (!desired.type) return false;
    try {
      const result = await writer.apply<KubeObject>(desired.type, desired.applied, { dryRun: true });
      // The cached live object already carries digests in place of Secret values.
      return canonicalJson(comparableContent(withSecretDigests(result))) === canonicalJson(comparableContent(live));
    } catch (error) {
      if (error instanceof KubeApiError) return false;
      throw error;
    }
  }
}
