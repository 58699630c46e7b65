// How sure and how strict a comparison with the primary is: the metric's spec.analysis.metrics[].comparison
// with its defaults filled in, and the scale of effects each test is tuned to find.
import type { Canary } from '../../api/canary.ts';

type Metric = NonNullable<Canary['spec']['analysis']['metrics']>[number];

export type ComparisonKind = 'error-rates' | 'latency';

export interface ComparisonRule {
  /** 1 - the chance, over the whole run however often it looks, of calling a difference that is not there. */
  confidence: number;
  /** Percentage points of errors, or percent of the latency quantile, the canary may be worse by. */
  maxIncrease: number;
  /** Requests each side needs before any verdict. */
  minSamples: number;
}

export const DEFAULT_CONFIDENCE = 0.95;
export const DEFAULT_MIN_SAMPLES = 100;
const DEFAULT_MAX_INCREASE: Record<ComparisonKind, number> = { 'error-rates': 0, latency: 10 };

/**
 * The standard deviation of the mixing prior of each test's always-valid bounds: the size of effect
 * they are most sensitive to. Two percentage points of errors; 0.1 of P(canary slower) - 0.5.
 */
export const MIXING_SCALE: Record<ComparisonKind, number> = { 'error-rates': 0.02, latency: 0.1 };

export function comparisonRule(metric: Metric, kind: ComparisonKind): ComparisonRule {
  return {
    confidence: metric.comparison?.confidence ?? DEFAULT_CONFIDENCE,
    maxIncrease: metric.comparison?.maxIncrease ?? DEFAULT_MAX_INCREASE[kind],
    minSamples: metric.comparison?.minSamples ?? DEFAULT_MIN_SAMPLES,
  };
}
