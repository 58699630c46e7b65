import assert from 'node:assert/strict';
import { test } from 'node:test';
import { influxQueryUrl, valueFromInfluxResponse } from '../../../src/analysis/providers/influxdb.ts';
import { metricTemplateProblems } from '../../../src/api/validation/metric-template-rules.ts';

const series = (values: unknown[][], columns = ['time', 'mean']) => ({
  results: [{ statement_id: 0, series: [{ name: 'req', columns, values }] }],
});

test('an InfluxQL answer comes down to the first value column of the last row, or no data', () => {
  assert.equal(valueFromInfluxResponse(series([['2026-01-01T00:00:00Z', 0.25]])), 0.25);
  assert.equal(
    valueFromInfluxResponse(
      series([
        ['2026-01-01T00:00:00Z', 1],
        ['2026-01-01T00:01:00Z', 2],
      ]),
    ),
    2,
  );
  assert.equal(valueFromInfluxResponse(series([['2026-01-01T00:00:00Z', 5, 9]], ['time', 'p99', 'count'])), 5);
  assert.equal(valueFromInfluxResponse(series([[7]], ['count'])), 7);
  assert.equal(valueFromInfluxResponse({ results: [{ statement_id: 0 }] }), undefined);
  assert.equal(valueFromInfluxResponse(series([['2026-01-01T00:00:00Z', null]])), undefined);
  assert.equal(valueFromInfluxResponse(series([])), undefined);
});

test('InfluxQL errors, several statements or series, and text values are refused with the reason', () => {
  assert.throws(
    () => valueFromInfluxResponse({ error: 'error parsing query: found SELEC' }),
    /query failed: error parsing query: found SELEC/,
  );
  assert.throws(
    () => valueFromInfluxResponse({ results: [{ statement_id: 0, error: 'database not found: zz' }] }),
    /database not found: zz/,
  );
  assert.throws(() => valueFromInfluxResponse({ results: [{}, {}] }), /2 statements; it must have exactly one/);
  assert.throws(() => valueFromInfluxResponse({ results: [] }), /0 statements/);
  const twoSeries = {
    results: [
      {
        series: [
          { columns: ['time', 'mean'], values: [['t', 1]] },
          { columns: ['time', 'mean'], values: [['t', 2]] },
        ],
      },
    ],
  };
  assert.throws(() => valueFromInfluxResponse(twoSeries), /2 series; aggregate it to one/);
  assert.throws(() => valueFromInfluxResponse(series([['t', 'green']], ['time', 'status'])), /column status is "green", not a number/);
  assert.throws(() => valueFromInfluxResponse(series([['t']], ['time'])), /no value column/);
});

test('the query URL carries the statement and the database; parameters of the address stay', () => {
  const parse = (url: string) => new URL(url);
  const plain = parse(influxQueryUrl('http://influx:8086', 'SELECT mean(latency) FROM "req"', 'metrics'));
  assert.equal(plain.origin + plain.pathname, 'http://influx:8086/query');
  assert.equal(plain.searchParams.get('q'), 'SELECT mean(latency) FROM "req"');
  assert.equal(plain.searchParams.get('db'), 'metrics');
  const prefixed = parse(influxQueryUrl('https://gw.example/influx/?db=fromaddress&rp=week', 'SELECT 1', undefined));
  assert.equal(prefixed.pathname, '/influx/query');
  assert.equal(prefixed.searchParams.get('db'), 'fromaddress');
  assert.equal(prefixed.searchParams.get('rp'), 'week');
  assert.equal(
    parse(influxQueryUrl('https://gw.example/influx?db=fromaddress', 'SELECT 1', 'fromtemplate')).searchParams.get('db'),
    'fromtemplate',
  );
  assert.equal(parse(influxQueryUrl('http://influx:8086/', 'SELECT 1', undefined)).searchParams.has('db'), false);
});

test('an influxdb template needs a query, and spec.influxdb belongs to influxdb templates only', () => {
  const fields = (spec: Parameters<typeof metricTemplateProblems>[0]) => metricTemplateProblems(spec).map((problem) => problem.field);
  assert.deepEqual(fields({ provider: { type: 'influxdb', address: 'http://influx:8086' }, influxdb: { database: 'm' } }), ['spec.query']);
  assert.deepEqual(
    fields({ provider: { type: 'influxdb', address: 'http://influx:8086' }, query: 'SELECT 1', influxdb: { database: 'm' } }),
    [],
  );
  assert.deepEqual(fields({ provider: { type: 'prometheus' }, query: 'up', influxdb: { database: 'm' } }), ['spec.influxdb']);
});
