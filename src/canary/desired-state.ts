// From the phase to what the cluster should look like. Two invariants hold in every phase, so no
// crash, deadline or abort can leave users without a serving workload:
//   - traffic only goes to a side that has ready pods;
//   - the target is scaled to zero only once the primary is fully ready.
// A third keeps a failed version off the primary: only initialization and promotion give the
// primary anything but the last promoted revision.
import type { CanaryPhase, CanaryStatusType } from '../api/canary.ts';
import type { DesiredState, EngineInput, Routes } from './engine-types.ts';
import { finalWeight, scheduleOf } from './schedule.ts';

const ALL_PRIMARY: Routes = { primaryWeight: 100, canaryWeight: 0 };
const ALL_CANARY: Routes = { primaryWeight: 0, canaryWeight: 100 };

function weighted(canaryWeight: number): Routes {
  return { primaryWeight: 100 - canaryWeight, canaryWeight };
}

/** The replicas a canary runs with: as many as the primary serves with now. */
function rolloutReplicas(input: EngineInput): number {
  return Math.max(1, input.observed.primary.replicas);
}

/** Routes the phase asks for, moved to whichever side can actually serve. */
function safeRoutes(wanted: Routes, input: EngineInput): Routes {
  const canaryServes = input.observed.target.readiness.serving && input.observed.target.replicas > 0;
  const primaryServes = input.observed.primary.readiness.serving;
  if (wanted.canaryWeight > 0 && !canaryServes) return ALL_PRIMARY;
  if (wanted.primaryWeight > 0 && !primaryServes && canaryServes) return ALL_CANARY;
  if (wanted.mirror && !canaryServes) return { primaryWeight: wanted.primaryWeight, canaryWeight: wanted.canaryWeight };
  return wanted;
}

/** The routes of a running step; blue/green with mirroring copies requests to the canary meanwhile. */
function stepRoutes(status: CanaryStatusType, input: EngineInput): Routes {
  const routes = weighted(status.canaryWeight ?? 0);
  return input.spec.analysis.mirror && routes.canaryWeight === 0 ? { ...routes, mirror: true } : routes;
}

function promotionRoutes(status: CanaryStatusType, input: EngineInput): Routes {
  // Blue/green (no weighted steps): everyone moves to the canary while the primary rolls over, so a
  // slow or failing primary rollout never serves a mix. Weighted runs keep their last weight.
  const blueGreen = finalWeight(scheduleOf(input.spec.analysis)) === 0;
  if (blueGreen || !input.observed.weightedRouting) return ALL_CANARY;
  return weighted(status.canaryWeight ?? 0);
}

export function desiredState(phase: CanaryPhase, status: CanaryStatusType, input: EngineInput): DesiredState {
  const primaryReady = input.observed.primary.readiness.ready;
  const scaleDown = primaryReady ? 0 : undefined;
  // Outside initialization and promotion the primary runs the last promoted revision: a promotion
  // that failed or was interrupted by a newer revision is undone, never left half done.
  const steady = { primary: 'last-promoted' as const, finalize: 'none' as const };
  switch (phase) {
    case 'Initializing':
      return { ...steady, primary: 'target', targetReplicas: undefined, routes: safeRoutes(ALL_PRIMARY, input) };
    case 'Initialized':
    case 'Succeeded':
    case 'Failed':
    case 'Waiting':
      return { ...steady, targetReplicas: scaleDown, routes: safeRoutes(ALL_PRIMARY, input) };
    case 'Progressing':
    case 'WaitingPromotion':
      return { ...steady, targetReplicas: rolloutReplicas(input), routes: safeRoutes(stepRoutes(status, input), input) };
    case 'Promoting': {
      // Once the primary runs the new revision, weighted providers shift back step by step.
      const primaryCaughtUp = primaryReady && input.observed.primary.revision === status.lastAppliedSpec;
      const routes =
        primaryCaughtUp && input.observed.weightedRouting ? weighted(status.canaryWeight ?? 0) : promotionRoutes(status, input);
      return { ...steady, primary: 'target', targetReplicas: rolloutReplicas(input), routes: safeRoutes(routes, input) };
    }
    case 'Finalising':
      return { ...steady, targetReplicas: scaleDown, routes: safeRoutes(ALL_PRIMARY, input) };
    case 'Terminating':
    case 'Terminated':
      return {
        primary: 'unchanged',
        targetReplicas: rolloutReplicas(input),
        routes: safeRoutes(ALL_PRIMARY, input),
        finalize: phase === 'Terminated' ? 'release' : input.spec.revertOnDeletion ? 'restore' : 'none',
      };
    default:
      return { ...steady, targetReplicas: undefined, routes: safeRoutes(ALL_PRIMARY, input) };
  }
}
