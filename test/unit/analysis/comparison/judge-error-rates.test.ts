import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeErrorRates } from '../../../../src/analysis/comparison/judge-error-rates.ts';
import type { ComparisonRule } from '../../../../src/analysis/comparison/settings.ts';

const rule: ComparisonRule = { confidence: 0.95, maxIncrease: 0, minSamples: 100 };
const side = (trials: number, failures: number) => ({ trials, failures });

const cases: {
  name: string;
  rule?: Partial<ComparisonRule>;
  canary: [number, number];
  primary: [number, number];
  outcome: 'pass' | 'fail' | 'inconclusive';
  message?: RegExp;
  /** Proven no worse than allowed (a pass only). */
  proven?: boolean;
}[] = [
  {
    name: 'canary and primary both at 3 % errors: passes (a fixed 99 % success threshold would fail both)',
    canary: [2000, 60],
    primary: [6000, 180],
    outcome: 'pass',
    message: /^canary errors 3 % vs primary 3 %, 2,000 vs 6,000 requests, p = 1$/,
    proven: false,
  },
  {
    name: 'both at 3 % with 2 points allowed: proven no worse than allowed',
    rule: { maxIncrease: 2 },
    canary: [2000, 60],
    primary: [6000, 180],
    outcome: 'pass',
    message: /, p = 1: no worse \(proven\)$/,
    proven: true,
  },
  {
    name: 'both at 3 % with 2 points allowed but only 300 canary requests: passes, not yet proven',
    rule: { maxIncrease: 2 },
    canary: [300, 9],
    primary: [900, 27],
    outcome: 'pass',
    proven: false,
  },
  {
    name: 'canary at 6 % against a primary at 3 %: fails, worse with 95 % confidence',
    canary: [2000, 120],
    primary: [6000, 180],
    outcome: 'fail',
    message:
      /^canary errors 6 % vs primary 3 %, 2,000 vs 6,000 requests, p < 0\.001: worse by [\d.]+ to [\d.]+ points \(95 % confidence\)$/,
  },
  {
    name: '6 % vs 3 % is within an allowed increase of 5 points: passes',
    rule: { maxIncrease: 5 },
    canary: [2000, 120],
    primary: [6000, 180],
    outcome: 'pass',
  },
  { name: 'canary better than the primary: passes', canary: [2000, 10], primary: [6000, 180], outcome: 'pass' },
  { name: 'no errors on either side: passes', canary: [500, 0], primary: [500, 0], outcome: 'pass', message: /p = 1$/ },
  {
    name: 'a 5 % error rate hidden in 20 requests: inconclusive, never a pass',
    canary: [20, 1],
    primary: [6000, 0],
    outcome: 'inconclusive',
    message: /^too few requests to compare: canary 20, primary 6,000 \(each side needs 100\)$/,
  },
  { name: 'no requests at all on the canary: inconclusive', canary: [0, 0], primary: [6000, 10], outcome: 'inconclusive' },
  { name: 'too few on the primary: inconclusive', canary: [500, 0], primary: [99, 0], outcome: 'inconclusive' },
  {
    name: 'a small difference in a few requests is not proven: passes (the next look adds data)',
    canary: [150, 9],
    primary: [450, 14],
    outcome: 'pass',
  },
  { name: 'every canary request failing: fails', canary: [100, 100], primary: [1000, 5], outcome: 'fail' },
  {
    name: 'huge samples, 3.1 % vs 3.0 %: fails at 0 points allowed',
    canary: [5_000_000, 155_000],
    primary: [5_000_000, 150_000],
    outcome: 'fail',
  },
  {
    name: 'huge samples, 3.1 % vs 3.0 % with 0.5 points allowed: passes',
    rule: { maxIncrease: 0.5 },
    canary: [5_000_000, 155_000],
    primary: [5_000_000, 150_000],
    outcome: 'pass',
  },
];

for (const c of cases) {
  test(`error-rate comparison: ${c.name}`, () => {
    const result = judgeErrorRates('request-success-rate', { ...rule, ...c.rule }, side(...c.canary), side(...c.primary));
    const outcome = result.passed ? 'pass' : result.inconclusive ? 'inconclusive' : 'fail';
    assert.equal(outcome, c.outcome, result.message);
    if (c.message) assert.match(result.message ?? '', c.message);
    if (c.outcome === 'inconclusive') {
      assert.equal(result.reason, 'TooFewSamples');
      assert.equal(result.evidence, undefined);
      return;
    }
    const evidence = result.evidence;
    assert.ok(evidence);
    assert.equal(evidence.test, 'two-proportions');
    assert.equal(evidence.canarySamples, c.canary[0]);
    assert.equal(evidence.primarySamples, c.primary[0]);
    assert.ok(Math.abs(evidence.canaryValue - (c.canary[1] / c.canary[0]) * 100) < 1e-9);
    assert.ok(Math.abs(evidence.effect - evidence.canaryValue + evidence.primaryValue) < 1e-9);
    assert.ok(evidence.lowerBound <= evidence.effect && evidence.effect <= evidence.upperBound);
    if (c.outcome === 'fail') assert.equal(result.reason, 'WorseThanPrimary');
    if (c.proven !== undefined) assert.equal(result.proven === true, c.proven);
    if (c.outcome !== 'pass') assert.equal(result.proven, undefined);
  });
}

test('error-rate comparison: the threshold it records names the allowed increase and the confidence', () => {
  const result = judgeErrorRates('errors', { confidence: 0.99, maxIncrease: 1.5, minSamples: 10 }, side(100, 1), side(100, 1));
  assert.equal(result.threshold, 'errors <= primary + 1.5 points (99 % confidence)');
});
