// Before deciding, the controller must know whether to run the analysis and which gates to ask:
// both are expensive (network calls), so this pure plan keeps them to the reconciles that need them.
import type { CanarySpecType, CanaryStatusType } from '../api/canary.ts';
import type { Gate } from './analysis-seam.ts';
import type { EngineInput } from './engine-types.ts';
import type { BaseObservations } from './observe.ts';
import { analysisDue, isLastStep, stepComplete } from './run-steps.ts';

export interface AnalysisPlan {
  analyze: boolean;
  gates: Gate[];
}

const STEADY = new Set(['Initialized', 'Succeeded', 'Failed']);

export function analysisPlan(spec: CanarySpecType, status: CanaryStatusType, observed: BaseObservations, now: Date): AnalysisPlan {
  const input: EngineInput = { spec, status, observed: { ...observed, gates: {} }, now };
  const phase = status.phase || 'Initializing';
  const gates: Gate[] = [];
  const newRevision =
    observed.targetRevision !== status.lastAppliedSpec && observed.targetRevision !== status.lastPromotedSpec;
  if ((STEADY.has(phase) && newRevision) || phase === 'Waiting') gates.push('confirm-rollout');

  const judging = phase === 'Progressing' || phase === 'WaitingPromotion';
  const analyze =
    judging &&
    !spec.suspend &&
    !observed.deleting &&
    (status.currentStep ?? -1) >= 0 &&
    observed.target.readiness.ready &&
    analysisDue(status, input);
  if (analyze && (phase === 'WaitingPromotion' || (isLastStep(status, input) && stepComplete(status, input)))) {
    gates.push('confirm-promotion');
  } else if (analyze && stepComplete(status, input)) {
    gates.push('confirm-traffic-increase');
  }
  return { analyze, gates };
}
