// The releases a GitSync started, kept in its status: when a sync creates or changes a Canary's
// target, the revision gets a Pending entry for that Canary in the same status write that records the
// revision as applied; from then on the entry follows the Canary (its status.release names the commit
// its run is for) until the run ends, a later revision replaces it, or the Canary shows it had nothing
// to release. Pure: the reconciler passes what the caches hold and writes the result.
import type { Canary, CanaryPhase } from '../api/canary.ts';
import { rfc3339 } from '../api/conditions.ts';
import type { GitSync } from '../api/git-sync.ts';

export type ReleaseEntry = NonNullable<NonNullable<GitSync['status']>['releases']>[number];
export type ReleasePhase = ReleaseEntry['phase'];

export const RELEASE_LIMIT = 10;

export interface CanaryRef {
  name: string;
  namespace: string;
}

/** What the watch cache holds of a Canary's target: its Git revision annotation and generation. */
export interface TargetView {
  revision?: string;
  generation?: number;
}

export interface ReleaseFacts {
  /** namespace/name of the GitSync. */
  gitSync: string;
  /** The revision this reconcile applied, and the Canaries whose targets it created or changed. */
  applied?: { revision: string; canaries: CanaryRef[] };
  canary(ref: CanaryRef): Canary | undefined;
  target(canary: Canary): TargetView | undefined;
  now: Date;
}

const STEADY = new Set<CanaryPhase | ''>(['Initialized', 'Succeeded', 'Failed']);
const OPEN = new Set<ReleasePhase>(['Pending', 'Progressing']);

const sameCanary = (entry: ReleaseEntry, ref: CanaryRef) => entry.canary === ref.name && (entry.namespace ?? '') === ref.namespace;
const refOf = (entry: ReleaseEntry): CanaryRef => ({ name: entry.canary, namespace: entry.namespace ?? '' });

export function trackReleases(previous: ReleaseEntry[] | undefined, facts: ReleaseFacts): ReleaseEntry[] {
  const time = rfc3339(facts.now);
  let entries = [...(previous ?? [])];
  const { applied } = facts;
  if (applied) {
    const fresh = applied.canaries
      .filter((ref) => !entries.some((entry) => sameCanary(entry, ref) && entry.revision === applied.revision))
      .map((ref): ReleaseEntry => ({ canary: ref.name, namespace: ref.namespace, revision: applied.revision, phase: 'Pending', time }));
    entries = [...fresh, ...entries];
  }
  const next = entries.map((entry, index) => {
    if (!OPEN.has(entry.phase)) return entry;
    const newer = entries.slice(0, index).some((other) => sameCanary(other, refOf(entry)));
    const resolved = resolve(entry, newer, facts);
    if (!resolved || (resolved.phase === entry.phase && resolved.reason === entry.reason && resolved.message === entry.message))
      return entry;
    return { ...entry, ...resolved, time };
  });
  return next.slice(0, RELEASE_LIMIT);
}

type Resolution = Pick<ReleaseEntry, 'phase' | 'reason' | 'message'>;

function resolve(entry: ReleaseEntry, newer: boolean, facts: ReleaseFacts): Resolution | undefined {
  const canary = facts.canary(refOf(entry));
  if (!canary) return undefined;
  const status = canary.status ?? {};
  const release = status.release;
  if (release?.revision === entry.revision && release.gitSync === facts.gitSync) {
    if (status.phase === 'Succeeded' || status.phase === 'Failed')
      return { phase: status.phase, reason: status.reason, message: status.message };
    return { phase: 'Progressing', reason: status.reason, message: status.message };
  }
  if (newer) return { phase: 'Superseded', message: 'a later revision changed the target before this one was released' };
  const target = facts.target(canary);
  const seen =
    target?.revision === entry.revision &&
    target.generation !== undefined &&
    (status.observedTargetGeneration ?? -1) >= target.generation &&
    STEADY.has(status.phase ?? '');
  if (!seen) return undefined;
  return {
    phase: 'NotReleased',
    message:
      status.reason === 'RevertedToPrimary'
        ? 'the target is back at the revision the primary runs: nothing to release'
        : 'the Canary had nothing to release for this revision',
  };
}

/** The newest entry of each Canary, newest first. */
export function latestPerCanary(entries: ReleaseEntry[] | undefined): ReleaseEntry[] {
  const seen = new Set<string>();
  return (entries ?? []).filter((entry) => {
    const key = `${entry.namespace ?? ''}/${entry.canary}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A Canary whose latest release failed: the GitSync is Degraded until a later revision replaces it. */
export function failedRelease(entries: ReleaseEntry[] | undefined): ReleaseEntry | undefined {
  return latestPerCanary(entries).find((entry) => entry.phase === 'Failed');
}

/** Failed releases that still want a revert in Git: the latest of their Canary, not reverted yet. */
export function revertsDue(entries: ReleaseEntry[] | undefined, sync: GitSync): ReleaseEntry[] {
  if (!sync.spec.onCanaryFailure) return [];
  return latestPerCanary(entries).filter((entry) => entry.phase === 'Failed' && !entry.revert);
}
