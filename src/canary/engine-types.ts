// What the pure decision core sees and what it returns. Everything it needs arrives as data; it
// never calls the network or reads a clock.
import type { CanaryPhase, CanarySpecType, CanaryStatusType } from '../api/canary.ts';
import type { Readiness } from '../workload/readiness.ts';
import type { Gate, Verdict } from './analysis-seam.ts';
import type { Routes } from '../routing/routes.ts';
import type { LimitRuling } from './metric-limits.ts';
import type { ReleaseRecord } from './release-record.ts';

export type { Routes };

export type RequestAction = 'promote' | 'promote-full' | 'abort' | 'retry';

export interface ManualRequest {
  action: RequestAction;
  /** The raw annotation value; recorded in status once handled. */
  id: string;
}

export interface WorkloadObservation {
  exists: boolean;
  readiness: Readiness;
  /** spec.replicas as set now. */
  replicas: number;
}

export interface Observations {
  target: WorkloadObservation;
  /** Revision of the target as it is now (pod template plus tracked config contents). */
  targetRevision: string;
  trackedConfigs: Record<string, string>;
  /** Where the target's current revision came from; recorded when a run starts. */
  release?: ReleaseRecord;
  primary: WorkloadObservation & { revision?: string };
  /** Where traffic goes now; undefined while the routing objects do not exist. */
  routes: Routes | undefined;
  /** Whether the provider can split traffic by weight (otherwise it switches all at once). */
  weightedRouting: boolean;
  /** An annotation-borne request not handled yet. */
  request?: ManualRequest;
  /** The verdict on the current step, present only when the controller ran the analysis. */
  verdict?: Verdict;
  /** Gate answers the controller fetched this round. */
  gates: Partial<Record<Gate, boolean>>;
  /** The pre-rollout hooks' verdict, present once they ran for the current attempt. */
  preRollout?: Verdict;
  /** A rollback hook answered yes. */
  rollbackRequested?: boolean;
  /** Why the metric providers cannot be reached (checked while initializing). */
  metricsOffline?: string;
  /** Webhooks or metric checks this decision depends on are still running in the background. */
  checksPending?: boolean;
  deleting: boolean;
}

export interface EngineInput {
  spec: CanarySpecType;
  status: CanaryStatusType;
  observed: Observations;
  now: Date;
  /**
   * The verdict read under each metric's limits: decide() fills it in whenever there is a verdict,
   * and gives observed.verdict as the limits read it.
   */
  limits?: Omit<LimitRuling, 'verdict'>;
}

/**
 * What the primary should run: the target's current template (initializing, promoting), the last
 * promoted one (every other phase, so a failed or interrupted promotion is undone), or whatever it
 * runs now (suspended, being deleted).
 */
export type PrimaryIntent = 'target' | 'last-promoted' | 'unchanged';

/** What the controller should make true; it acts only where the cluster differs. */
export interface DesiredState {
  primary: PrimaryIntent;
  /** Undefined: leave the target's replicas alone. */
  targetReplicas: number | undefined;
  routes: Routes;
  /** Hand routing back to the user (revertOnDeletion) and let the Canary go. */
  finalize: 'none' | 'restore' | 'release';
}

export interface Transition {
  from: CanaryPhase;
  to: CanaryPhase;
  reason: string;
  message: string;
  warning: boolean;
}

/** Something worth an Event that is not a transition, such as a failed check that did not roll back. */
export interface Notice {
  reason: string;
  message: string;
  warning: boolean;
  /** Names of the checks that failed, when the notice is about failed checks. */
  failedChecks?: string[];
}

export interface EngineOutput {
  status: CanaryStatusType;
  desired: DesiredState;
  transition?: Transition;
  notices: Notice[];
  /** When to look again even if nothing changes in the cluster. */
  requeueAfterMs?: number;
}
