import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketsFromSeries } from '../../../../src/analysis/comparison/buckets-from-series.ts';
import { comparisonProblem, comparisonQueries } from '../../../../src/analysis/comparison/comparison-queries.ts';
import { comparisonWindow } from '../../../../src/analysis/comparison/window.ts';
import { formatCount, formatNumber, formatPValue } from '../../../../src/analysis/comparison/evidence-text.ts';

const variables = { name: 'web', namespace: 'shop', target: 'web', service: 'web', interval: '95s', variables: {} };

test('comparison queries: {{ target }} is the canary workload on one side and its primary on the other, over the same window', () => {
  const queries = comparisonQueries(
    {
      requests: 'sum(increase(x{pod=~"{{ target }}-.*"}[{{ interval }}]))',
      errors: 'sum(increase(e{deployment="{{ target }}"}[{{ interval }}]))',
    },
    variables,
  );
  assert.deepEqual(queries, {
    canary: { kind: 'error-rates', requests: 'sum(increase(x{pod=~"web-.*"}[95s]))', errors: 'sum(increase(e{deployment="web"}[95s]))' },
    primary: {
      kind: 'error-rates',
      requests: 'sum(increase(x{pod=~"web-primary-.*"}[95s]))',
      errors: 'sum(increase(e{deployment="web-primary"}[95s]))',
    },
  });
  assert.deepEqual(comparisonQueries({ buckets: 'b{w="{{ target }}"}' }, variables), {
    canary: { kind: 'latency', buckets: 'b{w="web"}' },
    primary: { kind: 'latency', buckets: 'b{w="web-primary"}' },
  });
});

const problems: [string, Parameters<typeof comparisonProblem>[0], string | undefined][] = [
  ['missing', undefined, 'spec.comparison is missing, so it cannot be compared with the primary'],
  ['requests and errors', { requests: 'r{w="{{ target }}"}', errors: 'e{w="{{ target }}"}' }, undefined],
  ['buckets', { buckets: 'b{w="{{target}}"}' }, undefined],
  ['requests without errors', { requests: 'r{w="{{ target }}"}' }, 'spec.comparison needs both requests and errors'],
  ['both kinds', { requests: 'r', errors: 'e', buckets: 'b' }, 'spec.comparison takes requests and errors, or buckets, not both'],
  ['nothing to query', { quantile: 0.5 }, 'spec.comparison needs requests and errors, or buckets'],
  ['a query without the workload', { buckets: 'b{w="web"}' }, 'every spec.comparison query must select the workload with {{ target }}'],
];
for (const [name, comparison, expected] of problems) {
  test(`comparison problem: ${name}`, () => assert.equal(comparisonProblem(comparison), expected));
}

test('buckets from series: le labels become bounds, +Inf the last, extrapolated counts whole requests; a series without le is an error that says how to aggregate', () => {
  assert.deepEqual(
    bucketsFromSeries([
      { labels: { le: '0.5' }, value: 3.4 },
      { labels: { le: '+Inf' }, value: 4.6 },
      { labels: { le: '1e-3' }, value: Number.NaN },
    ]),
    [
      { le: 0.5, count: 3 },
      { le: Infinity, count: 5 },
      { le: 0.001, count: 0 },
    ],
  );
  assert.throws(() => bucketsFromSeries([{ labels: {}, value: 1 }]), /no le label; aggregate it with sum by \(le\)/);
  assert.throws(() => bucketsFromSeries([{ labels: { le: 'x' }, value: 1 }]), /le label "x" is not a number/);
});

const windows: [string, string | undefined, string, string][] = [
  ['the time since the run started', '2026-01-01T00:00:00Z', '1m', '95s'],
  ['never shorter than the interval', '2026-01-01T00:01:00Z', '1m', '60s'],
  ['the interval before a run started', undefined, '2m', '120s'],
  ['at least ten seconds', '2026-01-01T00:01:34Z', '1s', '10s'],
];
for (const [name, started, interval, expected] of windows) {
  test(`comparison window: ${name}`, () => {
    assert.equal(comparisonWindow(started, new Date('2026-01-01T00:01:35Z'), interval), expected);
  });
}

test('evidence text: counts with thousands separators, one decimal below 10, p-values as a person reads them', () => {
  assert.deepEqual([formatCount(1204), formatCount(3311.4), formatCount(0)], ['1,204', '3,311', '0']);
  assert.deepEqual(
    [formatNumber(4.06), formatNumber(0.3), formatNumber(3), formatNumber(97.4), formatNumber(0)],
    ['4.1', '0.3', '3', '97', '0'],
  );
  assert.deepEqual(
    [formatPValue(0.0004), formatPValue(0.0042), formatPValue(0.042), formatPValue(0.5), formatPValue(0.999)],
    ['p < 0.001', 'p = 0.004', 'p = 0.04', 'p = 0.50', 'p = 1'],
  );
});
