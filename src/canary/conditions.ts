// The Canary's conditions: Ready says whether Wren can work with the Canary at all (spec valid,
// target and metric templates found); Promoted (as in Flagger) says where the last release stands.
import type { CanaryStatusType } from '../api/canary.ts';
import { setCondition, type Condition } from '../api/conditions.ts';

export interface Blocker {
  reason: string;
  message: string;
}

export function withConditions(
  status: CanaryStatusType,
  generation: number | undefined,
  blocker: Blocker | undefined,
  now: Date,
): CanaryStatusType {
  const ready: Omit<Condition, 'lastTransitionTime'> = blocker
    ? { type: 'Ready', status: 'False', reason: blocker.reason, message: blocker.message, observedGeneration: generation }
    : { type: 'Ready', status: 'True', reason: 'Accepted', message: 'the canary is managed', observedGeneration: generation };
  let conditions = setCondition(status.conditions as Condition[] | undefined, ready, now);
  const phase = status.phase || 'Initializing';
  if (!blocker) {
    const promoted = phase === 'Succeeded' || phase === 'Initialized' ? 'True' : phase === 'Failed' ? 'False' : 'Unknown';
    conditions = setCondition(conditions, { type: 'Promoted', status: promoted, reason: phase, message: status.message ?? '' }, now);
  }
  return { ...status, observedGeneration: generation, conditions };
}
