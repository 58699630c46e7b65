import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignBuckets, binCounts, histogramQuantile, type Bucket } from '../../../../src/analysis/statistics/histogram.ts';
import { assertClose, reference } from './reference.ts';

interface Case {
  name: string;
  buckets: Bucket[];
  quantiles: { q: number; value: number | null }[];
}

for (const { name, buckets, quantiles } of reference.histogramQuantile as Case[]) {
  test(`histogramQuantile follows the Prometheus rule (independent python reference): ${name}`, () => {
    for (const { q, value } of quantiles) {
      const actual = histogramQuantile(q, buckets);
      if (value === null) assert.equal(actual, undefined, `q = ${q}`);
      else assertClose(actual ?? NaN, value, 1e-7, `q = ${q}`, 1e-12);
    }
  });
}

test('histogramQuantile does not change the buckets it is given', () => {
  const buckets = [
    { le: 0.2, count: 3 },
    { le: 0.1, count: 5 },
    { le: Infinity, count: 6 },
  ];
  const copy = structuredClone(buckets);
  histogramQuantile(0.5, buckets);
  assert.deepEqual(buckets, copy);
});

test('binCounts sorts by le, turns cumulative counts into per-bin counts and clamps counter resets to 0', () => {
  assert.deepEqual(
    binCounts([
      { le: Infinity, count: 30 },
      { le: 0.1, count: 10 },
      { le: 0.4, count: 25 },
      { le: 0.2, count: 7 },
    ]),
    { upperBounds: [0.1, 0.2, 0.4, Infinity], counts: [10, 0, 18, 5] },
  );
  assert.deepEqual(binCounts([]), { upperBounds: [], counts: [] });
});

test('alignBuckets keeps only the bounds both sides have, sorted', () => {
  const canary = [
    { le: 0.5, count: 8 },
    { le: 0.1, count: 2 },
    { le: 0.25, count: 5 },
    { le: Infinity, count: 9 },
  ];
  const primary = [
    { le: 0.1, count: 20 },
    { le: 0.5, count: 70 },
    { le: 1, count: 80 },
    { le: Infinity, count: 81 },
  ];
  assert.deepEqual(alignBuckets(canary, primary), [
    [
      { le: 0.1, count: 2 },
      { le: 0.5, count: 8 },
      { le: Infinity, count: 9 },
    ],
    [
      { le: 0.1, count: 20 },
      { le: 0.5, count: 70 },
      { le: Infinity, count: 81 },
    ],
  ]);
});

test('a NaN bound is refused naming the bucket', () => {
  assert.throws(() => binCounts([{ le: NaN, count: 1 }]), /buckets\[0\]\.le is NaN/);
});
