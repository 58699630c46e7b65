import assert from 'node:assert/strict';
import { test } from 'node:test';
import { valueFromResponse } from '../../../src/analysis/providers/prometheus.ts';
import { requestHeaders } from '../../../src/analysis/providers/provider-request.ts';
import { valueAtPath } from '../../../src/analysis/providers/web.ts';

test('Prometheus answers become one number, or no data', () => {
  assert.equal(valueFromResponse({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, '99.5'] }] } }), 99.5);
  assert.equal(valueFromResponse({ status: 'success', data: { resultType: 'scalar', result: [1, '3'] } }), 3);
  assert.equal(valueFromResponse({ status: 'success', data: { resultType: 'vector', result: [] } }), undefined);
  assert.ok(Number.isNaN(valueFromResponse({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, 'NaN'] }] } })));
  assert.throws(
    () => valueFromResponse({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, '1'] }, { value: [1, '2'] }] } }),
    /2 series; aggregate/,
  );
  assert.throws(() => valueFromResponse({ status: 'error', error: 'parse error at char 4' }), /parse error/);
  assert.throws(() => valueFromResponse({ status: 'success', data: { resultType: 'matrix', result: [] } }), /single number/);
});

test('the web provider picks its number with JSONPath', () => {
  const body = { data: { rate: '0.99', series: [{ value: 12 }] }, empty: null };
  assert.equal(valueAtPath(body, '$.data.rate'), 0.99);
  assert.equal(valueAtPath(body, '$.data.series[0].value'), 12);
  assert.equal(valueAtPath(body, '$.data.missing'), undefined);
  assert.equal(valueAtPath(body, '$.empty'), undefined);
  assert.throws(() => valueAtPath({ status: 'green' }, '$.status'), /not a number/);
});

test('credentials become an Authorization header, and headers pass through', () => {
  const base = { address: 'http://prom', headers: { 'X-Scope-OrgID': ['team-a'] }, insecureSkipVerify: false, timeoutMs: 1000 };
  assert.equal(requestHeaders({ ...base, credentials: { token: 'abc' } }).Authorization, 'Bearer abc');
  assert.equal(
    requestHeaders({ ...base, credentials: { username: 'u', password: 'p' } }).Authorization,
    `Basic ${Buffer.from('u:p').toString('base64')}`,
  );
  assert.equal(requestHeaders(base)['X-Scope-OrgID'], 'team-a');
  assert.equal(requestHeaders(base).Authorization, undefined);
});
