// The questions the canary state machine asks of one observation. Pure, one line of logic each.
import type { CanaryStatusType } from '../api/canary.ts';
import type { EngineInput } from './engine-types.ts';
import type { Canary } from '../api/canary.ts';
import { hooksOfType } from './analysis-seam.ts';
import { analysisDue, deadlineExceeded, isIndefinitePause, isLastStep, stepComplete } from './run-steps.ts';
import { intervalMs } from './schedule.ts';

type Status = CanaryStatusType;
const held = (input: EngineInput) =>
  input.observed.verdict !== undefined &&
  (input.observed.verdict.unreachable !== undefined || input.observed.verdict.inconclusive !== undefined);
export type Guard = (status: Status, input: EngineInput) => boolean;

export function provenNoWorse(input: EngineInput): boolean {
  const verdict = input.observed.verdict;
  const metrics = input.spec.analysis.metrics ?? [];
  if (!verdict?.passed || metrics.length === 0) return false;
  return metrics.every(
    (metric) =>
      metric.compareTo !== undefined &&
      metric.comparison?.promoteWhenProven === true &&
      verdict.checks.some((check) => check.name === metric.name && check.proven === true),
  );
}

const requested =
  (action: string): Guard =>
  (_status, input) =>
    input.observed.request?.action === action;

export const guards = {
  deleting: (_status, input) => input.observed.deleting,
  abortRequested: requested('abort'),
  retryRequested: requested('retry'),
  fullPromoteRequested: requested('promote-full'),
  promoteRequested: (_status, input) => ['promote', 'promote-full'].includes(input.observed.request?.action ?? ''),
  /** The target went back to what the primary runs: nothing left to release. */
  revertedToPrimary: (status, input) =>
    input.observed.targetRevision !== status.lastAppliedSpec && input.observed.targetRevision === status.lastPromotedSpec,
  revisionChanged: (status, input) => input.observed.targetRevision !== status.lastAppliedSpec,
  primaryReadyWithTarget: (_status, input) =>
    input.observed.primary.readiness.ready && input.observed.primary.revision === input.observed.targetRevision,
  primaryReadyWithRun: (status, input) =>
    input.observed.primary.readiness.ready && input.observed.primary.revision === status.lastAppliedSpec,
  recovered: (status, input) => status.notReadySince !== undefined && input.observed.target.readiness.ready,
  canaryReady: (_status, input) => input.observed.target.readiness.ready && input.observed.target.replicas > 0,
  canaryDeadlineExceeded: (status, input) => deadlineExceeded(status, input, 'target'),
  primaryDeadlineExceeded: (status, input) => deadlineExceeded(status, input, 'primary'),
  skipAnalysis: (_status, input) => input.spec.skipAnalysis === true,
  notStarted: (status) => (status.currentStep ?? -1) < 0,
  analysisDue: (status, input) => analysisDue(status, input) && input.observed.verdict !== undefined,
  checkFailed: (_status, input) => input.observed.verdict?.passed === false && !held(input),
  /** Nothing failed, but a metrics server gave no answer or a check was inconclusive: no verdict yet. */
  checksHeld: (_status, input) => held(input),
  /** A metric failed more often than its failureLimit. */
  failureLimitExceeded: (_status, input) => input.limits?.failureLimitExceeded !== undefined,
  /** A metric was inconclusive more often than its inconclusiveLimit, or had no data and onNoData: pause. */
  pauseForPerson: (_status, input) => input.limits?.pause !== undefined,
  /** The run waits for `wren promote` or `wren abort`. */
  pausedForPerson: (status) => status.pausedFor !== undefined,
  thresholdReached: (status, input) => (status.failedChecks ?? 0) + 1 >= input.spec.analysis.threshold,
  stepComplete: (status, input) => stepComplete(status, input),
  lastStep: (status, input) => isLastStep(status, input),
  atIndefinitePause: (status, input) => isIndefinitePause(status, input),
  checksPending: (_status, input) => input.observed.checksPending === true,
  metricsUnverified: (_status, input) =>
    (input.spec.analysis.metrics?.length ?? 0) > 0 &&
    (input.observed.checksPending === true || input.observed.metricsOffline !== undefined),
  rollbackHookFired: (_status, input) => input.observed.rollbackRequested === true,
  preRolloutRequired: (_status, input) =>
    hooksOfType({ spec: input.spec } as Canary, 'pre-rollout').length > 0 && input.observed.preRollout === undefined,
  preRolloutFailed: (_status, input) => input.observed.preRollout?.passed === false,
  rolloutGateClosed: (_status, input) => input.observed.gates['confirm-rollout'] === false,
  /** Every metric is a comparison that may promote early, and each proved the canary no worse at this step. */
  provenNoWorse: (_status, input) => provenNoWorse(input),
  promotionGateClosed: (_status, input) => input.observed.gates['confirm-promotion'] === false,
  trafficGateClosed: (_status, input) => input.observed.gates['confirm-traffic-increase'] === false,
  promotionShiftRemaining: (status, input) =>
    input.observed.weightedRouting && input.spec.analysis.stepWeightPromotion !== undefined && (status.canaryWeight ?? 0) > 0,
  promotionShiftDue: (status, input) => input.now.getTime() >= Date.parse(status.stepStartedAt ?? '') + intervalMs(input.spec.analysis),
  targetScaledDown: (_status, input) => input.observed.target.replicas === 0,
  targetReadyOrGone: (_status, input) => !input.observed.target.exists || input.observed.target.readiness.ready,
} satisfies Record<string, Guard>;

export type GuardName = keyof typeof guards;
