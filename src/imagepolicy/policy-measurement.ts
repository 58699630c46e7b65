// What one ImagePolicy reconcile counts for in the metrics, from its report: pure, so the mapping
// (scan result, write-back result, the stage a failure is counted under) is table-tested apart from
// prom-client. The reconciler records the result; nothing here writes.
import type { PolicyReport } from './policy-status.ts';

export type ScanResult = 'success' | 'no-match' | 'error';
export type WriteBackResult = 'committed' | 'override-set' | 'unchanged' | 'failed' | 'no-target' | 'gitsync-not-found';
export type PolicyFailureStage = 'scan' | 'write-back';

export interface PolicyMeasurement {
  /** Undefined when the reconcile did not scan (halted). */
  scan?: ScanResult;
  /** Undefined when no write-back was due. */
  writeBack?: WriteBackResult;
  failedStages: PolicyFailureStage[];
}

const PROBLEM_RESULTS: Record<NonNullable<PolicyReport['writeBackProblem']>['reason'], WriteBackResult> = {
  WriteBackFailed: 'failed',
  NoWriteBackTarget: 'no-target',
  GitSyncNotFound: 'gitsync-not-found',
};

function scanResult(report: PolicyReport): ScanResult | undefined {
  if (report.scanError !== undefined) return 'error';
  if (!report.scan) return undefined;
  return report.scan.latest ? 'success' : 'no-match';
}

function writeBackResult(report: PolicyReport): WriteBackResult | undefined {
  if (report.writeBackProblem) return PROBLEM_RESULTS[report.writeBackProblem.reason];
  if (!report.written) return undefined;
  if (report.written.commit) return 'committed';
  return report.written.overrideSet ? 'override-set' : 'unchanged';
}

export function measurePolicy(report: PolicyReport): PolicyMeasurement {
  const scan = scanResult(report);
  const writeBack = writeBackResult(report);
  const failedStages: PolicyFailureStage[] = [];
  if (scan === 'error') failedStages.push('scan');
  if (report.writeBackProblem) failedStages.push('write-back');
  return { ...(scan ? { scan } : {}), ...(writeBack ? { writeBack } : {}), failedStages };
}
