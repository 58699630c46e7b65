import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareProportions, type Proportion } from '../../../../src/analysis/statistics/two-proportions.ts';
import { assertClose, reference } from './reference.ts';

interface Case {
  name: string;
  canary: Proportion;
  primary: Proportion;
  canaryRate: number;
  primaryRate: number;
  difference: number;
  variance: number;
  z: number;
  pValue: number;
}

for (const expected of reference.proportions as Case[]) {
  test(`two proportions match the scipy reference: ${expected.name}`, () => {
    const actual = compareProportions(expected.canary, expected.primary);
    for (const key of ['canaryRate', 'primaryRate', 'difference', 'variance', 'z', 'pValue'] as const) {
      assertClose(actual[key], expected[key], 1e-7, key, 1e-12);
    }
  });
}

test('the Agresti-Caffo variance is never 0: no failures anywhere, and no trials at all', () => {
  assert.ok(compareProportions({ trials: 1_000_000, failures: 0 }, { trials: 1_000_000, failures: 0 }).variance > 0);
  assert.equal(compareProportions({ trials: 0, failures: 0 }, { trials: 0, failures: 0 }).variance, 0.25);
});

test('the direction: a worse canary gives a small p-value, a better one a p-value near 1', () => {
  const worse = compareProportions({ trials: 10_000, failures: 400 }, { trials: 10_000, failures: 300 });
  const better = compareProportions({ trials: 10_000, failures: 200 }, { trials: 10_000, failures: 300 });
  assert.ok(worse.z > 0 && worse.pValue < 0.001);
  assert.ok(better.z < 0 && better.pValue > 0.999);
});

test('bad counts are refused naming the field', () => {
  assert.throws(
    () => compareProportions({ trials: 10, failures: 11 }, { trials: 10, failures: 1 }),
    /canary\.failures \(11\) must not exceed canary\.trials \(10\)/,
  );
  assert.throws(
    () => compareProportions({ trials: 10, failures: 1 }, { trials: -1, failures: 0 }),
    /primary\.trials must be a finite number >= 0, got -1/,
  );
  assert.throws(
    () => compareProportions({ trials: 10, failures: NaN }, { trials: 10, failures: 0 }),
    /canary\.failures must be a finite number/,
  );
});
