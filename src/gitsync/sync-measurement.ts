// What one GitSync sync counts for in the metrics, from what it did: pure, so the mapping (which
// objects count as applied, which as drift corrections, which stage a failure is counted under) is
// table-tested apart from prom-client. The reconciler records the result; nothing here writes.
import type { SyncOutcome } from './object-applier.ts';
import type { SyncError, SyncStage } from './sync-error.ts';

export interface SyncMeasurement {
  result: 'success' | 'failure';
  /** Objects written to the API server by server-side apply, by what the write did. */
  applied: { created: number; updated: number; corrected: number };
  pruned: number;
  /** Objects put back after someone changed them (selfHeal). */
  driftCorrections: number;
  /** The stage a failed sync stopped at; undefined for a success. */
  failedStage?: SyncStage;
}

/** What a sync ran to: the applier's outcome (which may carry a failure part way), or an error before or during it. */
export interface SyncRun {
  outcome?: SyncOutcome;
  error?: SyncError;
}

export function measureSync(run: SyncRun): SyncMeasurement {
  const outcome = run.outcome;
  const error = run.error ?? outcome?.error;
  const corrected = outcome?.healed.length ?? 0;
  return {
    result: error ? 'failure' : 'success',
    applied: { created: outcome?.created.length ?? 0, updated: outcome?.updated.length ?? 0, corrected },
    pruned: outcome?.deleted.length ?? 0,
    driftCorrections: corrected,
    ...(error ? { failedStage: error.stage } : {}),
  };
}
