import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeLatency } from '../../../../src/analysis/comparison/judge-latency.ts';
import type { ComparisonRule } from '../../../../src/analysis/comparison/settings.ts';
import type { Bucket } from '../../../../src/analysis/statistics/histogram.ts';

const rule: ComparisonRule = { confidence: 0.95, maxIncrease: 10, minSamples: 100 };
const display = { quantile: 0.99, scale: 1000, unit: 'ms' };
/** The Prometheus client's default buckets (seconds). */
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];

/** Cumulative buckets from counts per bucket. */
function histogram(perBucket: Record<number, number>): Bucket[] {
  let running = 0;
  return BOUNDS.map((le) => {
    running += perBucket[le] ?? 0;
    return { le, count: running };
  });
}

const cases: {
  name: string;
  rule?: Partial<ComparisonRule>;
  canary: Bucket[];
  primary: Bucket[];
  outcome: 'pass' | 'fail' | 'inconclusive';
  message?: RegExp;
}[] = [
  {
    name: 'same distribution: passes, and 1,000 requests prove it no slower',
    canary: histogram({ 0.005: 900, 0.01: 80, 0.025: 20 }),
    primary: histogram({ 0.005: 2700, 0.01: 240, 0.025: 60 }),
    outcome: 'pass',
    message: /: no slower \(proven\)$/,
  },
  {
    name: 'same distribution in 120 requests: passes, not yet proven',
    canary: histogram({ 0.005: 100, 0.01: 15, 0.025: 5 }),
    primary: histogram({ 0.005: 300, 0.01: 45, 0.025: 15 }),
    outcome: 'pass',
    message: /p = 1$/,
  },
  {
    name: 'a canary 300 ms slower: fails, its p99 far above the primary',
    canary: histogram({ 0.5: 600 }),
    primary: histogram({ 0.005: 1800 }),
    outcome: 'fail',
    message:
      /^canary p99 498 ms vs primary 5 ms, 600 vs 1,800 requests, P\(slower\) 1\.00, p < 0\.001: slower, p99 up [\d,.]+ % \(95 % confidence\)$/,
  },
  {
    name: 'slower for sure but its p99 within the allowed 10 %: passes',
    canary: histogram({ 0.005: 500, 0.01: 500, 0.025: 1000 }),
    primary: histogram({ 0.005: 1500, 0.01: 500, 0.025: 1000 }),
    outcome: 'pass',
  },
  {
    name: 'slower for sure with a p99 more than 10 % higher: fails',
    canary: histogram({ 0.005: 500, 0.01: 500, 0.025: 500, 0.05: 500 }),
    primary: histogram({ 0.005: 1500, 0.01: 500, 0.025: 1000 }),
    outcome: 'fail',
  },
  {
    name: 'every request of both sides in the first bucket (all ties): passes with p = 1',
    canary: histogram({ 0.005: 400 }),
    primary: histogram({ 0.005: 4000 }),
    outcome: 'pass',
    message: /P\(slower\) 0\.50, p = 1$/,
  },
  {
    name: 'a canary faster than the primary: passes',
    canary: histogram({ 0.005: 600 }),
    primary: histogram({ 0.1: 600 }),
    outcome: 'pass',
  },
  {
    name: 'too few canary requests: inconclusive',
    canary: histogram({ 1: 30 }),
    primary: histogram({ 0.005: 4000 }),
    outcome: 'inconclusive',
    message: /^too few requests to compare: canary 30, primary 4,000/,
  },
  { name: 'no canary buckets at all: inconclusive', canary: [], primary: histogram({ 0.005: 4000 }), outcome: 'inconclusive' },
];

for (const c of cases) {
  test(`latency comparison: ${c.name}`, () => {
    const result = judgeLatency('request-duration', { ...rule, ...c.rule }, c.canary, c.primary, display);
    const outcome = result.passed ? 'pass' : result.inconclusive ? 'inconclusive' : 'fail';
    assert.equal(outcome, c.outcome, result.message);
    if (c.message) assert.match(result.message ?? '', c.message);
    if (c.outcome === 'inconclusive') return assert.equal(result.reason, 'TooFewSamples');
    assert.equal(result.evidence?.test, 'mann-whitney');
    assert.ok(result.evidence.lowerBound <= result.evidence.effect && result.evidence.effect <= result.evidence.upperBound);
    if (c.outcome === 'fail') assert.equal(result.reason, 'SlowerThanPrimary');
  });
}

test('latency comparison: buckets only one side has are left out, and the threshold names quantile, increase and confidence', () => {
  const canary = [...histogram({ 0.5: 600 }), { le: 0.3, count: 100 }];
  const result = judgeLatency('request-duration', rule, canary, histogram({ 0.005: 1800 }), display);
  assert.equal(result.evidence?.canarySamples, 600);
  assert.equal(result.threshold, 'p99 <= primary + 10 % (95 % confidence)');
});
