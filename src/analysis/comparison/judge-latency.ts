// Judges a canary's latency distribution against the primary's from their histogram buckets: a
// Mann-Whitney comparison (requests in one bucket are ties) with always-valid bounds says whether the
// canary is slower; the buckets' quantile says by how much. It fails when the canary is slower with
// the rule's confidence and its quantile is more than maxIncrease percent above the primary's.
import type { CheckResult } from '../../canary/analysis-seam.ts';
import { alwaysValidPValue, confidenceSequence } from '../statistics/confidence-sequence.ts';
import { alignBuckets, binCounts, histogramQuantile, type Bucket } from '../statistics/histogram.ts';
import { mannWhitneyBinned } from '../statistics/mann-whitney.ts';
import { formatConfidence, formatCount, formatNumber, formatPValue } from './evidence-text.ts';
import { MIXING_SCALE, type ComparisonRule } from './settings.ts';
import { tooFewSamples } from './too-few-samples.ts';

export interface LatencyDisplay {
  /** The quantile reported and held to maxIncrease. */
  quantile: number;
  /** Factor from the bucket bounds to the unit shown. */
  scale: number;
  unit: string;
}

/** How far P(canary slower) may be above one half for the canary to count as no slower (55 %). */
export const LATENCY_EQUIVALENCE = 0.05;

const total = (counts: readonly number[]) => counts.reduce((sum, count) => sum + count, 0);

export function latencyThreshold(rule: ComparisonRule, display: LatencyDisplay): string {
  return `p${formatNumber(display.quantile * 100)} <= primary + ${formatNumber(rule.maxIncrease)} % (${formatConfidence(rule.confidence)} confidence)`;
}

/** Percent by which the canary's value exceeds the primary's (Infinity above a primary of 0). */
function increasePercent(canary: number, primary: number): number {
  if (primary > 0) return ((canary - primary) / primary) * 100;
  return canary > 0 ? Infinity : 0;
}

export function judgeLatency(
  name: string,
  rule: ComparisonRule,
  canaryBuckets: readonly Bucket[],
  primaryBuckets: readonly Bucket[],
  display: LatencyDisplay,
): CheckResult {
  const base = { name, kind: 'metric' as const, threshold: latencyThreshold(rule, display) };
  const [canaryAligned, primaryAligned] = alignBuckets(canaryBuckets, primaryBuckets);
  const canary = binCounts(canaryAligned).counts;
  const primary = binCounts(primaryAligned).counts;
  const few = tooFewSamples(total(canary), total(primary), rule.minSamples, 'requests');
  if (few) return { ...base, passed: false, inconclusive: true, reason: 'TooFewSamples', message: few };

  const ranks = mannWhitneyBinned(canary, primary);
  const effect = ranks.probabilityGreater - 0.5;
  const scale = MIXING_SCALE.latency;
  const bounds =
    ranks.variance > 0 ? confidenceSequence(effect, ranks.variance, 1 - rule.confidence, scale) : { lower: effect, upper: effect };
  const pValue = ranks.variance > 0 ? alwaysValidPValue(effect, ranks.variance, scale) : 1;
  const canaryValue = (histogramQuantile(display.quantile, canaryAligned) ?? 0) * display.scale;
  const primaryValue = (histogramQuantile(display.quantile, primaryAligned) ?? 0) * display.scale;
  const evidence = {
    test: 'mann-whitney' as const,
    canaryValue,
    primaryValue,
    canarySamples: ranks.canaryCount,
    primarySamples: ranks.primaryCount,
    effect,
    pValue,
    lowerBound: bounds.lower,
    upperBound: bounds.upper,
  };
  const quantile = `p${formatNumber(display.quantile * 100)}`;
  const line =
    `canary ${quantile} ${formatNumber(canaryValue)} ${display.unit} vs primary ${formatNumber(primaryValue)} ${display.unit}, ` +
    `${formatCount(ranks.canaryCount)} vs ${formatCount(ranks.primaryCount)} requests, ` +
    `P(slower) ${ranks.probabilityGreater.toFixed(2)}, ${formatPValue(pValue)}`;
  const result = { ...base, value: canaryValue, evidence };
  const increase = increasePercent(canaryValue, primaryValue);
  if (bounds.lower > 0 && increase > rule.maxIncrease) {
    const by = Number.isFinite(increase) ? `${formatNumber(increase)} %` : 'more than any percentage';
    return {
      ...result,
      passed: false,
      reason: 'SlowerThanPrimary',
      message: `${line}: slower, ${quantile} up ${by} (${formatConfidence(rule.confidence)} confidence)`,
    };
  }
  // Proven no slower: a canary request is slower than a primary one at most LATENCY_EQUIVALENCE more
  // often than not, with the confidence, and the quantile is within maxIncrease.
  // Requests that all tie (one bucket on both sides) say nothing about which side is slower: no proof.
  if (ranks.variance > 0 && bounds.upper <= LATENCY_EQUIVALENCE && increase <= rule.maxIncrease)
    return { ...result, passed: true, proven: true, message: `${line}: no slower (proven)` };
  return { ...result, passed: true, message: line };
}
