// The verdict CI waits for on one commit: has the GitSync applied it, and how did the canary runs it
// started end? Pure functions of GitSync and Canary objects, so `wren wait` (from a watch) and
// GET /api/v1/revisions/SHA (from the operator's caches) say the same thing.
//
// With a GitSync: failed when its sync of the commit failed and the commit was never applied; pending
// until it is applied; then pending while a release entry of the commit is Pending or Progressing,
// failed when one failed (or was superseded by a later commit before its canary finished), else
// succeeded (no entries: the commit released nothing). Without one, from a Canary alone: pending until
// its current run is of the commit and has ended (Succeeded; Failed, or reverted to the primary).
import type { Canary } from '../api/canary.ts';
import type { GitSync } from '../api/git-sync.ts';
import { latestChecks } from '../canary/latest-checks.ts';
import { revisionsOfGitSync, sameCommit, shortSha } from './revision-match.ts';

export type RevisionState = 'pending' | 'succeeded' | 'failed';

type ReleaseEntry = NonNullable<NonNullable<GitSync['status']>['releases']>[number];

export interface FailedCheck {
  name: string;
  kind: string;
  value?: number;
  threshold?: string;
  reason?: string;
  message?: string;
}

export interface CanaryVerdict {
  /** namespace/name of the Canary. */
  canary: string;
  revision: string;
  /** The phase of the GitSync's release entry; of the Canary itself when no GitSync is asked. */
  phase: string;
  state: RevisionState;
  reason?: string;
  message?: string;
  /** The checks whose newest result in the failed run is a failure. */
  failedChecks: FailedCheck[];
}

export interface GitSyncVerdict {
  /** namespace/name of the GitSync. */
  gitSync: string;
  state: RevisionState;
  applied: boolean;
  reason: string;
  message: string;
}

export interface RevisionVerdict {
  /** The full SHA when a status records it, else the revision as asked. */
  revision: string;
  state: RevisionState;
  reason: string;
  message: string;
  gitSyncs: GitSyncVerdict[];
  canaries: CanaryVerdict[];
}

const idOf = (object: { metadata?: { namespace?: string; name?: string } }) =>
  `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;

/** The checks that failed in the Canary's run of `revision`; none when its current run is another one. */
export function failedChecksOf(canary: Canary | undefined, revision: string): FailedCheck[] {
  const status = canary?.status;
  if (!canary || status?.phase !== 'Failed' || !sameCommit(status.release?.revision, revision)) return [];
  const fromSpec = latestChecks(canary);
  const named = new Set(fromSpec.map((row) => row.name));
  // A failure the engine recorded under a name of its own (an analysis that could not run) counts too.
  const unnamed = (status.checks ?? []).filter(
    (check, index, all) => !named.has(check.name) && all.findIndex((other) => other.name === check.name) === index,
  );
  const rows = [...fromSpec, ...unnamed.map((check) => ({ name: check.name, kind: check.kind, threshold: '', latest: check }))];
  return rows.flatMap(({ name, kind, threshold, latest }) =>
    latest && !latest.passed
      ? [
          {
            name,
            kind,
            ...(latest.value !== undefined ? { value: latest.value } : {}),
            ...(threshold || latest.threshold ? { threshold: threshold || latest.threshold } : {}),
            ...(latest.reason ? { reason: latest.reason } : {}),
            ...(latest.message ? { message: latest.message } : {}),
          },
        ]
      : [],
  );
}

/** The verdict of all parts: pending while one is, then failed when one failed, else succeeded. */
function combine(revision: string, gitSyncs: GitSyncVerdict[], canaries: CanaryVerdict[]): RevisionVerdict {
  const parts = { revision, gitSyncs, canaries };
  const short = shortSha(revision);
  const pendingSync = gitSyncs.find((sync) => sync.state === 'pending');
  if (pendingSync) return { ...parts, state: 'pending', reason: pendingSync.reason, message: pendingSync.message };
  const pendingCanary = canaries.find((canary) => canary.state === 'pending');
  if (pendingCanary) {
    const notStarted = pendingCanary.reason === 'NotStarted';
    return {
      ...parts,
      state: 'pending',
      reason: notStarted ? 'NotStarted' : 'Releasing',
      message: notStarted ? (pendingCanary.message ?? '') : `canary ${pendingCanary.canary} is releasing ${short} (${pendingCanary.phase})`,
    };
  }
  const failedSync = gitSyncs.find((sync) => sync.state === 'failed');
  if (failedSync) return { ...parts, state: 'failed', reason: failedSync.reason, message: failedSync.message };
  const failedCanary = canaries.find((canary) => canary.state === 'failed');
  if (failedCanary) {
    const superseded = failedCanary.reason === 'Superseded';
    return {
      ...parts,
      state: 'failed',
      reason: superseded ? 'Superseded' : 'CanaryFailed',
      message: superseded
        ? `canary ${failedCanary.canary}: ${failedCanary.message}`
        : `canary ${failedCanary.canary} failed to release ${short}${failedCanary.reason ? ` (${failedCanary.reason})` : ''}${failedCanary.message ? `: ${failedCanary.message}` : ''}`,
    };
  }
  const released = canaries.filter((canary) => canary.phase !== 'NotReleased').map((canary) => canary.canary);
  const appliedBy = gitSyncs.length > 0 ? `applied by gitsync ${gitSyncs.map((sync) => sync.gitSync).join(', ')}; ` : '';
  return released.length > 0
    ? { ...parts, state: 'succeeded', reason: 'Released', message: `${short} ${appliedBy}released by canary ${released.join(', ')}` }
    : { ...parts, state: 'succeeded', reason: 'NothingToRelease', message: `${short} ${appliedBy}no canary had anything to release` };
}

function entryVerdict(gitSync: GitSync, entries: ReleaseEntry[], index: number, revision: string, canaries: Canary[]): CanaryVerdict {
  const namespaceOf = (entry: ReleaseEntry) => entry.namespace ?? gitSync.spec.targetNamespace ?? gitSync.metadata?.namespace ?? '';
  const entry = entries[index] as ReleaseEntry;
  const canary = `${namespaceOf(entry)}/${entry.canary}`;
  const base = { canary, revision: entry.revision, phase: entry.phase, failedChecks: [] };
  const told = { ...(entry.reason ? { reason: entry.reason } : {}), ...(entry.message ? { message: entry.message } : {}) };
  switch (entry.phase) {
    case 'Pending':
    case 'Progressing': {
      // Entries are newest first: an earlier one of the same canary for another commit took its place.
      const newer = entries
        .slice(0, index)
        .find((other) => `${namespaceOf(other)}/${other.canary}` === canary && !sameCommit(other.revision, revision));
      if (newer) {
        const message = `superseded by ${shortSha(newer.revision)} before its canary finished`;
        return { ...base, state: 'failed', reason: 'Superseded', message };
      }
      return { ...base, state: 'pending', ...told };
    }
    case 'Superseded':
      return {
        ...base,
        state: 'failed',
        reason: 'Superseded',
        message: entry.message ?? 'a later commit replaced it before its canary ran',
      };
    case 'Failed': {
      const live = canaries.find((candidate) => idOf(candidate) === canary);
      return { ...base, state: 'failed', ...told, failedChecks: failedChecksOf(live, revision) };
    }
    case 'Succeeded':
    case 'NotReleased':
      return { ...base, state: 'succeeded', ...told };
  }
}

/**
 * The verdict of `revision` (lower-case hex, possibly abbreviated) as one GitSync sees it. `canaries`
 * supply the failed checks of failed runs; the GitSync's own status decides everything else.
 */
export function gitSyncRevisionVerdict(revision: string, gitSync: GitSync, canaries: Canary[] = []): RevisionVerdict {
  const id = idOf(gitSync);
  const status = gitSync.status ?? {};
  const full = revisionsOfGitSync(gitSync).find((recorded) => sameCommit(recorded, revision)) ?? revision;
  const short = shortSha(full);
  const records = (status.history ?? []).filter((record) => sameCommit(record.revision, revision));
  const applied = sameCommit(status.lastAppliedRevision, revision) || records.some((record) => record.result === 'Succeeded');
  if (!applied) {
    const failure = records.find((record) => record.result === 'Failed');
    const where = sameCommit(status.lastAttemptedRevision, revision)
      ? 'it is being applied'
      : `the GitSync is at ${status.lastAppliedRevision ? shortSha(status.lastAppliedRevision) : 'no revision yet'}`;
    const sync: GitSyncVerdict = failure
      ? {
          gitSync: id,
          state: 'failed',
          applied: false,
          reason: 'SyncFailed',
          message: `gitsync ${id} failed to apply ${short}: ${failure.message ?? 'no message'}`,
        }
      : {
          gitSync: id,
          state: 'pending',
          applied: false,
          reason: 'NotApplied',
          message: `gitsync ${id} has not applied ${short} yet (${where})`,
        };
    return combine(full, [sync], []);
  }
  const entries = status.releases ?? [];
  const verdicts = entries.flatMap((entry, index) =>
    sameCommit(entry.revision, revision) ? [entryVerdict(gitSync, entries, index, revision, canaries)] : [],
  );
  return combine(
    full,
    [{ gitSync: id, state: 'succeeded', applied: true, reason: 'Applied', message: `gitsync ${id} applied ${short}` }],
    verdicts,
  );
}

/** The verdict of `revision` from a Canary alone: its current run must be of that commit and have ended. */
export function canaryRevisionVerdict(revision: string, canary: Canary): RevisionVerdict {
  const id = idOf(canary);
  const status = canary.status ?? {};
  const phase = status.phase || 'Initializing';
  const running = status.release?.revision;
  if (!running || !sameCommit(running, revision)) {
    const message = `canary ${id} has not started a run of ${shortSha(revision)} (its current run is of ${running ? shortSha(running) : 'no Git revision'})`;
    return combine(revision, [], [{ canary: id, revision, phase, state: 'pending', reason: 'NotStarted', message, failedChecks: [] }]);
  }
  // Initialized after a run of the commit: the target went back to what the primary runs (a revert)
  // before the run was promoted, so the commit was never released.
  const state: RevisionState = phase === 'Succeeded' ? 'succeeded' : phase === 'Failed' || phase === 'Initialized' ? 'failed' : 'pending';
  const verdict: CanaryVerdict = {
    canary: id,
    revision: running,
    phase,
    state,
    ...(status.reason ? { reason: status.reason } : {}),
    ...(status.message ? { message: status.message } : {}),
    failedChecks: failedChecksOf(canary, revision),
  };
  return combine(running, [], [verdict]);
}

/**
 * The verdict of `revision` across every GitSync and Canary that knows it (the HTTP endpoint without
 * a filter); undefined when none does. A Canary whose run a GitSync's entry already reports is not
 * judged twice.
 */
export function revisionVerdict(revision: string, gitSyncs: GitSync[], canaries: Canary[]): RevisionVerdict | undefined {
  const fromSyncs = gitSyncs
    .filter((gitSync) => revisionsOfGitSync(gitSync).some((recorded) => sameCommit(recorded, revision)))
    .map((gitSync) => gitSyncRevisionVerdict(revision, gitSync, canaries));
  const reported = new Set(fromSyncs.flatMap((verdict) => verdict.canaries.map((canary) => canary.canary)));
  const fromCanaries = canaries
    .filter((canary) => sameCommit(canary.status?.release?.revision, revision) && !reported.has(idOf(canary)))
    .map((canary) => canaryRevisionVerdict(revision, canary));
  const all = [...fromSyncs, ...fromCanaries];
  const [first] = all;
  if (!first) return undefined;
  return combine(
    first.revision,
    all.flatMap((verdict) => verdict.gitSyncs),
    all.flatMap((verdict) => verdict.canaries),
  );
}
