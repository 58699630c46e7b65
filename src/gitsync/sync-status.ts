// The next status of a GitSync, from what a reconcile found and did. Pure: the reconciler writes the
// result only when it differs from what is stored, so a resync that changed nothing writes nothing.
import { findCondition, setCondition, rfc3339 } from '../api/conditions.ts';
import type { GitSync } from '../api/git-sync.ts';
import type { ReplicasHandedToCanary } from './canary-owned.ts';
import type { HealthVerdict } from './health.ts';
import type { SyncOutcome } from './object-applier.ts';
import type { ObjectRef } from './object-key.ts';
import type { SyncError } from './sync-error.ts';
import { failedRelease, type ReleaseEntry } from './release-tracking.ts';
import { withRecord } from './sync-history.ts';

export type GitSyncStatus = NonNullable<GitSync['status']>;

const READY = 'Ready';
const DRIFT_LIST_LIMIT = 20;
const short = (commit: string) => commit.slice(0, 12);

export interface SyncReport {
  commit: string;
  trigger: string;
  outcome: SyncOutcome;
  health: HealthVerdict;
  rolledBack: boolean;
  requestedAt: string | undefined;
  /** Git's replicas of Canary-owned Deployments, handed to their -primary. */
  canaryReplicas: ReplicasHandedToCanary[];
  now: Date;
}

const sortRefs = (refs: ObjectRef[]) =>
  [...refs].sort((a, b) => `${a.kind}/${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.kind}/${b.namespace ?? ''}/${b.name}`));

function changedSomething(outcome: SyncOutcome): boolean {
  return outcome.created.length + outcome.updated.length + outcome.healed.length + outcome.deleted.length > 0;
}

export function syncedStatus(sync: GitSync, report: SyncReport): GitSyncStatus {
  const previous = sync.status ?? {};
  const { outcome, commit } = report;
  const newRevision = previous.lastAppliedRevision !== commit;
  const applied = newRevision || changedSomething(outcome);
  const drifted = outcome.drifted.slice(0, DRIFT_LIST_LIMIT);
  const message = report.rolledBack
    ? `held at revision ${short(commit)} by a rollback; \`wren sync resume\` follows spec.ref again`
    : `applied revision ${short(commit)}${drifted.length > 0 ? `; ${outcome.drifted.length} objects drifted` : ''}`;
  const status: GitSyncStatus = {
    ...previous,
    observedGeneration: sync.metadata?.generation,
    conditions: setCondition(
      previous.conditions,
      {
        type: READY,
        status: 'True',
        reason: report.rolledBack ? 'RolledBack' : 'Synced',
        message,
        observedGeneration: sync.metadata?.generation,
      },
      report.now,
    ),
    sync: drifted.length > 0 ? 'OutOfSync' : 'Synced',
    health: report.health.health,
    lastAppliedRevision: commit,
    lastAttemptedRevision: commit,
    inventory: sortRefs(outcome.inventory),
    canaryReplicas:
      report.canaryReplicas.length > 0
        ? [...report.canaryReplicas].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))
        : undefined,
    diff: applied
      ? {
          created: outcome.created.length,
          updated: outcome.updated.length + outcome.healed.length,
          deleted: outcome.deleted.length,
          unchanged: outcome.unchanged,
          ...(drifted.length > 0 ? { drifted } : {}),
        }
      : {
          ...(previous.diff ?? { created: 0, updated: 0, deleted: 0, unchanged: outcome.unchanged }),
          drifted: drifted.length > 0 ? drifted : undefined,
        },
  };
  if (applied) {
    status.lastSyncTime = rfc3339(report.now);
    status.history = withRecord(previous.history, {
      revision: commit,
      time: rfc3339(report.now),
      result: 'Succeeded',
      trigger: report.trigger,
      message: `${outcome.created.length} created, ${outcome.updated.length} updated, ${outcome.healed.length} corrected, ${outcome.deleted.length} deleted`,
    });
  }
  if (report.requestedAt) status.lastHandledRequestedAt = report.requestedAt;
  return status;
}

export interface FailureReport {
  error: SyncError;
  commit: string | undefined;
  trigger: string;
  requestedAt: string | undefined;
  /** Set when applying failed part way: the objects applied so far stay in the inventory. */
  inventory?: ObjectRef[];
  now: Date;
}

export function failedStatus(sync: GitSync, report: FailureReport): GitSyncStatus {
  const previous = sync.status ?? {};
  const reason = `${report.error.stage.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase())}Failed`;
  const status: GitSyncStatus = {
    ...previous,
    observedGeneration: sync.metadata?.generation,
    conditions: setCondition(
      previous.conditions,
      { type: READY, status: 'False', reason, message: report.error.message, observedGeneration: sync.metadata?.generation },
      report.now,
    ),
    sync: report.commit && report.commit !== previous.lastAppliedRevision ? 'OutOfSync' : (previous.sync ?? 'Unknown'),
    ...(report.commit ? { lastAttemptedRevision: report.commit } : {}),
    ...(report.inventory ? { inventory: sortRefs(report.inventory) } : {}),
    history: withRecord(previous.history, {
      revision: report.commit ?? previous.lastAttemptedRevision ?? 'unknown',
      time: rfc3339(report.now),
      result: 'Failed',
      trigger: report.trigger,
      message: report.error.message,
    }),
  };
  if (report.requestedAt) status.lastHandledRequestedAt = report.requestedAt;
  return status;
}

/** Ready=False with a reason that is not a sync failure: invalid spec, suspended, waiting for a dependency. */
export function waitingStatus(sync: GitSync, reason: string, message: string, now: Date): GitSyncStatus {
  const previous = sync.status ?? {};
  return {
    ...previous,
    observedGeneration: sync.metadata?.generation,
    conditions: setCondition(
      previous.conditions,
      { type: READY, status: 'False', reason, message, observedGeneration: sync.metadata?.generation },
      now,
    ),
  };
}

/**
 * The status with the releases of its revisions. A Canary whose latest release failed makes the
 * GitSync Degraded and not Ready (reason CanaryFailed, with the canary's reason and any revert), so
 * the failure of a commit shows where the commit was applied; it clears when a later revision's
 * release, or the revert, replaces it.
 */
export function withReleases(sync: GitSync, base: GitSyncStatus, releases: ReleaseEntry[] | undefined, now: Date): GitSyncStatus {
  const status: GitSyncStatus = { ...base, releases };
  const ready = findCondition(base.conditions, READY);
  const failed = failedRelease(releases);
  if (failed && (ready?.status === 'True' || ready?.reason === 'CanaryFailed')) {
    const revert = failed.revert;
    const reverted = revert?.error
      ? `; no revert: ${revert.error}`
      : revert
        ? `; reverted${revert.commit ? ` in ${short(revert.commit)}` : ''} on ${revert.branch}`
        : '';
    status.health = 'Degraded';
    status.conditions = setCondition(
      base.conditions,
      {
        type: READY,
        status: 'False',
        reason: 'CanaryFailed',
        message: `canary ${failed.canary} failed revision ${short(failed.revision)}: ${failed.reason ?? 'Failed'}${failed.message ? `: ${failed.message}` : ''}${reverted}`,
        observedGeneration: sync.metadata?.generation,
      },
      now,
    );
  } else if (!failed && ready?.reason === 'CanaryFailed') {
    status.conditions = setCondition(
      base.conditions,
      {
        type: READY,
        status: 'True',
        reason: 'Synced',
        message: `applied revision ${short(base.lastAppliedRevision ?? '')}`,
        observedGeneration: sync.metadata?.generation,
      },
      now,
    );
  }
  return status;
}
