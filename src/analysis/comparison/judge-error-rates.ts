// Judges a canary's error rate against the primary's over the same window with a two-proportion
// comparison and always-valid bounds: it fails only when the canary is worse by more than maxIncrease
// points with the rule's confidence; too few requests on either side is Inconclusive, never a pass.
import type { CheckResult } from '../../canary/analysis-seam.ts';
import { alwaysValidPValue, confidenceSequence } from '../statistics/confidence-sequence.ts';
import { compareProportions, type Proportion } from '../statistics/two-proportions.ts';
import { formatConfidence, formatCount, formatNumber, formatPValue } from './evidence-text.ts';
import { MIXING_SCALE, type ComparisonRule } from './settings.ts';
import { tooFewSamples } from './too-few-samples.ts';

export function errorRateThreshold(rule: ComparisonRule): string {
  return `errors <= primary + ${formatNumber(rule.maxIncrease)} points (${formatConfidence(rule.confidence)} confidence)`;
}

export function judgeErrorRates(name: string, rule: ComparisonRule, canary: Proportion, primary: Proportion): CheckResult {
  const base = { name, kind: 'metric' as const, threshold: errorRateThreshold(rule) };
  const few = tooFewSamples(canary.trials, primary.trials, rule.minSamples, 'requests');
  if (few) return { ...base, passed: false, inconclusive: true, reason: 'TooFewSamples', message: few };

  const measured = compareProportions(canary, primary);
  const scale = MIXING_SCALE['error-rates'];
  const bounds = confidenceSequence(measured.difference, measured.variance, 1 - rule.confidence, scale);
  const pValue = alwaysValidPValue(measured.difference, measured.variance, scale);
  const evidence = {
    test: 'two-proportions' as const,
    canaryValue: measured.canaryRate * 100,
    primaryValue: measured.primaryRate * 100,
    canarySamples: canary.trials,
    primarySamples: primary.trials,
    effect: measured.difference * 100,
    pValue,
    lowerBound: bounds.lower * 100,
    upperBound: bounds.upper * 100,
  };
  const line =
    `canary errors ${formatNumber(evidence.canaryValue)} % vs primary ${formatNumber(evidence.primaryValue)} %, ` +
    `${formatCount(canary.trials)} vs ${formatCount(primary.trials)} requests, ${formatPValue(pValue)}`;
  const result = { ...base, value: evidence.canaryValue, evidence };
  if (evidence.lowerBound > rule.maxIncrease) {
    const by = `${formatNumber(evidence.lowerBound)} to ${formatNumber(evidence.upperBound)} points`;
    return {
      ...result,
      passed: false,
      reason: 'WorseThanPrimary',
      message: `${line}: worse by ${by} (${formatConfidence(rule.confidence)} confidence)`,
    };
  }
  // Not only not proven worse: proven no worse than allowed, however often the run looked.
  if (evidence.upperBound <= rule.maxIncrease) return { ...result, passed: true, proven: true, message: `${line}: no worse (proven)` };
  return { ...result, passed: true, message: line };
}
