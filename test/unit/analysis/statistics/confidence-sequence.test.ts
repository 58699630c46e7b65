import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  alwaysValidPValue,
  confidenceSequence,
  logMixtureLikelihoodRatio,
  mixtureLikelihoodRatio,
} from '../../../../src/analysis/statistics/confidence-sequence.ts';
import { assertClose, reference } from './reference.ts';

interface Case {
  name: string;
  estimate: number;
  variance: number;
  alpha: number;
  tau: number;
  lower: number;
  upper: number;
  lambda0: number;
  logLambda0: number;
  pValue: number;
  theta0: number;
  logLambdaTheta0: number;
}

for (const c of reference.confidenceSequence as Case[]) {
  test(`the confidence sequence equals the numerical root of Lambda = 1/alpha (scipy brentq): ${c.name}`, () => {
    const { lower, upper } = confidenceSequence(c.estimate, c.variance, c.alpha, c.tau);
    assertClose(lower, c.lower, 1e-7, 'lower');
    assertClose(upper, c.upper, 1e-7, 'upper');
    assertClose(mixtureLikelihoodRatio(c.estimate, c.variance, c.tau), c.lambda0, 1e-7, 'Lambda(0)');
    assertClose(logMixtureLikelihoodRatio(c.estimate, c.variance, c.tau), c.logLambda0, 1e-7, 'ln Lambda(0)');
    assertClose(logMixtureLikelihoodRatio(c.estimate, c.variance, c.tau, c.theta0), c.logLambdaTheta0, 1e-7, 'ln Lambda(theta0)');
    assertClose(alwaysValidPValue(c.estimate, c.variance, c.tau), c.pValue, 1e-7, 'p-value', 1e-300);
  });
}

test('the interval excludes 0 exactly when the always-valid p-value is below alpha', () => {
  for (const estimate of [-0.03, -0.011, -0.005, 0, 0.004, 0.0101, 0.0102, 0.02]) {
    const { lower, upper } = confidenceSequence(estimate, 1e-5, 0.05, 0.02);
    assert.equal(lower > 0 || upper < 0, alwaysValidPValue(estimate, 1e-5, 0.02) < 0.05, `estimate ${estimate}`);
  }
});

test('a look without information (variance 0 or not finite, estimate not finite) is no evidence: Lambda 1, p 1, unbounded interval', () => {
  for (const [estimate, variance] of [
    [0.1, 0],
    [0.1, -1],
    [0.1, Infinity],
    [0.1, NaN],
    [NaN, 1e-4],
  ] as const) {
    assert.equal(mixtureLikelihoodRatio(estimate, variance, 0.02), 1);
    assert.equal(alwaysValidPValue(estimate, variance, 0.02), 1);
    assert.deepEqual(confidenceSequence(estimate, variance, 0.05, 0.02), { lower: -Infinity, upper: Infinity });
  }
});

test('overwhelming evidence: Lambda overflows to Infinity and the p-value to 0, never NaN', () => {
  assert.equal(mixtureLikelihoodRatio(1, 1e-8, 0.1), Infinity);
  assert.equal(alwaysValidPValue(1, 1e-8, 0.1), 0);
});

test('bad tau or alpha is refused naming the parameter', () => {
  assert.throws(() => alwaysValidPValue(0.1, 1e-4, 0), /tau .* must be a finite number > 0, got 0/);
  assert.throws(() => confidenceSequence(0.1, 1e-4, 1, 0.02), /alpha must be in \(0, 1\), got 1/);
  assert.throws(() => confidenceSequence(0.1, 1e-4, 0.05, NaN), /tau/);
});
