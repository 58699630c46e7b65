import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mannWhitneyBinned, mannWhitneySamples, type RankComparison } from '../../../../src/analysis/statistics/mann-whitney.ts';
import { assertClose, reference } from './reference.ts';

type Case = RankComparison & { name: string; canary: number[]; primary: number[]; computedBy: string };
const KEYS = ['canaryCount', 'primaryCount', 'u', 'probabilityGreater', 'variance', 'z', 'pValue'] as const;

function assertMatches(actual: RankComparison, expected: Case): void {
  for (const key of KEYS) assertClose(actual[key], expected[key], 1e-7, key, 1e-9);
}

for (const expected of reference.mannWhitneyBinned as Case[]) {
  test(`binned Mann-Whitney matches the reference (${expected.computedBy}): ${expected.name}`, () => {
    assertMatches(mannWhitneyBinned(expected.canary, expected.primary), expected);
  });
}

for (const expected of reference.mannWhitneySamples as Case[]) {
  test(`Mann-Whitney on samples matches scipy mannwhitneyu: ${expected.name}`, () => {
    assertMatches(mannWhitneySamples(expected.canary, expected.primary), expected);
  });
}

test('samples and the same observations as bin counts give the same comparison', () => {
  const canary = [3, 1, 2, 2, 5, 4, 4, 4];
  const primary = [1, 1, 2, 3, 3, 0];
  const count = (values: number[]) => [0, 1, 2, 3, 4, 5].map((bin) => values.filter((v) => v === bin).length);
  assert.deepEqual(mannWhitneySamples(canary, primary), mannWhitneyBinned(count(canary), count(primary)));
});

test('an empty side gives probabilityGreater 0.5, variance 0, z 0 and p-value 1', () => {
  const expected = { canaryCount: 0, primaryCount: 4, u: 0, probabilityGreater: 0.5, variance: 0, z: 0, pValue: 1 };
  assert.deepEqual(mannWhitneyBinned([0, 0], [1, 3]), expected);
  assert.deepEqual(mannWhitneySamples([], [1, 2, 3, 4]), expected);
  assert.equal(mannWhitneySamples([1, 2], []).pValue, 1);
});

test('all observations tied in one huge bin: variance exactly 0 (no cancellation residue), p-value 1', () => {
  const result = mannWhitneyBinned([0, 12_345_678, 0], [0, 98_765_432, 0]);
  assert.equal(result.variance, 0);
  assert.equal(result.z, 0);
  assert.equal(result.pValue, 1);
  assert.equal(result.probabilityGreater, 0.5);
});

test('bad input is refused naming the field', () => {
  assert.throws(() => mannWhitneyBinned([1, 2], [1]), /one count per bin each, got 2 and 1 bins/);
  assert.throws(() => mannWhitneyBinned([1, -2], [1, 1]), /canary\[1\] must be a finite count >= 0, got -2/);
  assert.throws(() => mannWhitneySamples([1], [2, NaN]), /primary\[1\] is NaN/);
});
