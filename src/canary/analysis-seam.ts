// The seam between the canary engine and analysis (metrics, webhooks). The engine decides when a
// step is judged; an Analyzer does the judging and knows nothing of phases or weights.
import type { Canary } from '../api/canary.ts';

export interface CheckResult {
  name: string;
  kind: 'metric' | 'webhook';
  passed: boolean;
  reason?: string;
  message?: string;
  value?: number;
  threshold?: string;
  query?: string;
}

export interface Verdict {
  passed: boolean;
  checks: CheckResult[];
}

/** The gates a run can wait at (Flagger's confirm-* webhooks). */
export type Gate = 'confirm-rollout' | 'confirm-traffic-increase' | 'confirm-promotion';

/** The lifecycle hooks that are called, not awaited for a verdict. */
export type Notification = 'pre-rollout' | 'post-rollout' | 'rollback' | 'event';

export interface StepContext {
  phase: string;
  canaryWeight: number;
  revision: string;
}

export interface Analyzer {
  /** Judges the current step: metric checks and rollout webhooks. */
  analyze(canary: Canary, step: StepContext): Promise<Verdict>;
  /** Whether a gate lets the run through (true when the Canary defines no hook for it). */
  gateOpen(canary: Canary, gate: Gate, step: StepContext): Promise<boolean>;
}
