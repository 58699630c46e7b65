// The arithmetic of a canary run, as pure functions from (status, input) to status changes: start
// a run, enter a step, record a check, decide whether a step is done, and when to look again.
import type { CanaryStatusType } from '../api/canary.ts';
import { rfc3339 } from '../api/conditions.ts';
import type { CheckResult } from './analysis-seam.ts';
import type { EngineInput } from './engine-types.ts';
import { intervalMs, scheduleOf, type Step } from './schedule.ts';

/** Recent measurements kept in status, per check name, so each metric's history stays visible. */
export const CHECK_RECORDS_PER_NAME = 5;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

type Status = CanaryStatusType;

const ms = (timestamp: string | undefined) => (timestamp ? Date.parse(timestamp) : Number.NaN);

export function freshRun(input: EngineInput): Partial<Status> {
  return {
    lastAppliedSpec: input.observed.targetRevision,
    trackedConfigs: input.observed.trackedConfigs,
    runStartedAt: rfc3339(input.now),
    canaryWeight: 0,
    iterations: 0,
    failedChecks: 0,
    currentStep: -1,
    stepStartedAt: undefined,
    lastAnalysisAt: undefined,
    notReadySince: undefined,
    checks: [],
    metricCounts: [],
    pausedFor: undefined,
  };
}

export function stepsOf(input: EngineInput): Step[] {
  return scheduleOf(input.spec.analysis);
}

export function currentStep(status: Status, input: EngineInput): Step | undefined {
  return stepsOf(input)[status.currentStep ?? -1];
}

export function isLastStep(status: Status, input: EngineInput): boolean {
  return (status.currentStep ?? -1) >= stepsOf(input).length - 1;
}

export function enterStep(index: number, input: EngineInput): Partial<Status> {
  const step = stepsOf(input)[index];
  return {
    currentStep: index,
    canaryWeight: step?.weight ?? 0,
    stepStartedAt: rfc3339(input.now),
    lastAnalysisAt: undefined,
  };
}

/** When the current step is next judged, or undefined before the first step. */
export function nextAnalysisAt(status: Status, input: EngineInput): number | undefined {
  if ((status.currentStep ?? -1) < 0) return undefined;
  const from = status.lastAnalysisAt ?? status.stepStartedAt;
  return ms(from) + intervalMs(input.spec.analysis);
}

export function analysisDue(status: Status, input: EngineInput): boolean {
  const due = nextAnalysisAt(status, input);
  return due !== undefined && input.now.getTime() >= due;
}

/** A step is done once judged passing; a pause also needs its duration, or `wren promote` if it has none. */
export function stepComplete(status: Status, input: EngineInput): boolean {
  const step = currentStep(status, input);
  if (!step || step.kind === 'weight') return true;
  if (step.durationMs === undefined) return false;
  return input.now.getTime() >= ms(status.stepStartedAt) + step.durationMs;
}

export function isIndefinitePause(status: Status, input: EngineInput): boolean {
  const step = currentStep(status, input);
  return step?.kind === 'pause' && step.durationMs === undefined;
}

export function recordChecks(status: Status, checks: readonly CheckResult[], input: EngineInput): Status['checks'] {
  const time = rfc3339(input.now);
  const all = [...checks.map((check) => ({ ...check, time })), ...(status.checks ?? [])];
  const kept = new Map<string, number>();
  return all.filter((record) => {
    const count = kept.get(record.name) ?? 0;
    kept.set(record.name, count + 1);
    return count < CHECK_RECORDS_PER_NAME;
  });
}

export function failedCheckSummary(checks: readonly CheckResult[]): string {
  return checks
    .filter((check) => !check.passed && check.inconclusive !== true)
    .map((check) => `${check.name}: ${check.message ?? check.reason ?? 'failed'}`)
    .join('; ');
}

export function progressDeadlineMs(input: EngineInput): number {
  return (input.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS) * 1000;
}

/** Tracks since when a canary that was ready mid-run stopped being ready. */
export function notReadySince(status: Status, ready: boolean, input: EngineInput): string | undefined {
  if (ready) return undefined;
  return status.notReadySince ?? rfc3339(input.now);
}

/**
 * Since when the workload being rolled out has been waited for: a new canary since its run started,
 * the primary since its promotion started, a canary that went unready mid-run since it did. Reusing
 * timestamps the status already has keeps a rollout's progress from costing status writes.
 */
export function unreadySince(status: Status, side: 'target' | 'primary'): number {
  if (status.notReadySince) return ms(status.notReadySince);
  if (side === 'primary') return ms(status.stepStartedAt);
  return (status.currentStep ?? -1) < 0 ? ms(status.runStartedAt) : Number.NaN;
}

export function deadlineExceeded(status: Status, input: EngineInput, side: 'target' | 'primary'): boolean {
  // Our own timer, not the Deployment's Progressing condition: that one can be left over from an
  // earlier rollout at the moment a new one starts.
  if (input.observed[side].readiness.ready) return false;
  const since = unreadySince(status, side);
  return Number.isFinite(since) && input.now.getTime() - since > progressDeadlineMs(input);
}
