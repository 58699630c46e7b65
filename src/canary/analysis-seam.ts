// The seam between the canary engine and analysis (metrics, webhooks, alerts). The engine decides
// when a step is judged; an Analyzer does the judging and knows nothing of phases or weights.
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
  /**
   * Neither passed nor failed: the check had too little to judge (e.g. too few requests for a
   * comparison). Set only with passed: false; such a check holds the step and is never a pass.
   */
  inconclusive?: boolean;
  /** What a comparison with the primary measured on both sides, and how sure it is. */
  evidence?: ComparisonEvidence;
  /** A passed comparison that also proved the canary no worse than allowed, with its confidence. */
  proven?: boolean;
}

export interface ComparisonEvidence {
  /** The statistical test: two-proportions (error rates) or mann-whitney (distributions). */
  test: 'two-proportions' | 'mann-whitney';
  canaryValue: number;
  primaryValue: number;
  canarySamples: number;
  primarySamples: number;
  /** canary minus primary, in the unit the test judges (percentage points, or P(canary slower) - 0.5). */
  effect: number;
  /** Always-valid p-value of "the canary is no different from the primary". */
  pValue: number;
  /** The always-valid confidence bounds of the effect at the metric's confidence. */
  lowerBound: number;
  upperBound: number;
}

export interface Verdict {
  passed: boolean;
  checks: CheckResult[];
  /**
   * Set when nothing failed but some metrics could not be read because their server gave no answer:
   * why. Such a verdict neither passes nor fails the step; the step is judged again later.
   */
  unreachable?: string;
  /**
   * Set when nothing failed but some checks were inconclusive (and the rest passed or could not be
   * read): which metrics, and why. Such a verdict neither passes nor fails the step either.
   */
  inconclusive?: string;
}

/** The gates a run can wait at (Flagger's confirm-* webhooks). */
export type Gate = 'confirm-rollout' | 'confirm-traffic-increase' | 'confirm-promotion';

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
  /** pre-rollout hooks, before any traffic reaches the canary; failures count as failed checks. */
  preRollout(canary: Canary, step: StepContext): Promise<Verdict>;
  /** Whether a rollback hook asks to roll back now. */
  rollbackRequested(canary: Canary, step: StepContext): Promise<boolean>;
  /** Why the metric providers of the Canary cannot be reached, or undefined when they can. */
  metricsOffline(canary: Canary): Promise<string | undefined>;
  /** post-rollout and event hooks: called, not waited on for a verdict. */
  notify(canary: Canary, type: 'post-rollout' | 'event', step: StepContext, metadata?: Record<string, string>): void;
}

/** Hooks of one type ('' and absent mean rollout, as in Flagger). */
export function hooksOfType(canary: Canary, type: string): NonNullable<Canary['spec']['analysis']['webhooks']> {
  return (canary.spec.analysis.webhooks ?? []).filter((hook) => (hook.type || 'rollout') === type);
}
