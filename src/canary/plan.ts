// Before deciding, the controller must know which checks to run: metric queries and webhooks are
// network calls, so this pure plan keeps them to the reconciles that need them, and names the
// moment they belong to, so a result that arrives late is used for that moment only.
import type { Canary, CanarySpecType, CanaryStatusType } from '../api/canary.ts';
import { hooksOfType, type Gate } from './analysis-seam.ts';
import type { EngineInput } from './engine-types.ts';
import type { BaseObservations } from './observe.ts';
import { analysisDue, isLastStep, stepComplete } from './run-steps.ts';
import { intervalMs } from './schedule.ts';

export interface AnalysisPlan {
  analyze: boolean;
  gates: Gate[];
  preRollout: boolean;
  rollbackCheck: boolean;
  /** Check that the metric providers answer before the Canary is initialized. */
  metricsOnline: boolean;
  /** Identifies the moment of the run these checks are for (revision, phase, step, timer). */
  moment: string;
}

const STEADY = new Set(['Initialized', 'Succeeded', 'Failed']);

export function planIsEmpty(plan: AnalysisPlan): boolean {
  return !plan.analyze && plan.gates.length === 0 && !plan.preRollout && !plan.rollbackCheck && !plan.metricsOnline;
}

export function analysisPlan(spec: CanarySpecType, status: CanaryStatusType, observed: BaseObservations, now: Date): AnalysisPlan {
  const input: EngineInput = { spec, status, observed: { ...observed, gates: {} }, now };
  const canary = { spec } as Canary;
  const phase = status.phase || 'Initializing';
  const active = !spec.suspend && !observed.deleting;
  const gates: Gate[] = [];
  const newRevision = observed.targetRevision !== status.lastAppliedSpec && observed.targetRevision !== status.lastPromotedSpec;
  if (active && ((STEADY.has(phase) && newRevision) || phase === 'Waiting')) gates.push('confirm-rollout');

  const judging = active && (phase === 'Progressing' || phase === 'WaitingPromotion');
  const ready = observed.target.readiness.ready && observed.target.replicas > 0;
  const started = (status.currentStep ?? -1) >= 0;
  const paused = status.pausedFor !== undefined;
  const analyze = judging && started && ready && !paused && analysisDue(status, input);
  if (analyze && (phase === 'WaitingPromotion' || (isLastStep(status, input) && stepComplete(status, input)))) {
    gates.push('confirm-promotion');
  } else if (analyze && stepComplete(status, input)) {
    gates.push('confirm-traffic-increase');
  }
  const lastAttempt = status.lastAnalysisAt ? Date.parse(status.lastAnalysisAt) : undefined;
  const preRolloutDue = lastAttempt === undefined || now.getTime() >= lastAttempt + intervalMs(spec.analysis);
  const preRollout =
    active &&
    phase === 'Progressing' &&
    !started &&
    ready &&
    !spec.skipAnalysis &&
    preRolloutDue &&
    hooksOfType(canary, 'pre-rollout').length > 0;
  const rollbackCheck = hooksOfType(canary, 'rollback').length > 0 && (analyze || (active && phase === 'Waiting'));
  const metricsOnline = active && phase === 'Initializing' && (spec.analysis.metrics?.length ?? 0) > 0 && observed.primary.readiness.ready;
  const moment = [
    observed.targetRevision,
    phase,
    status.currentStep ?? -1,
    status.lastAnalysisAt ?? status.stepStartedAt ?? status.runStartedAt ?? '',
  ].join('|');
  return { analyze, gates, preRollout, rollbackCheck, metricsOnline, moment };
}
