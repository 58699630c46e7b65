import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNewRelicProvider, newRelicQueryRequest, newRelicValue } from '../../../../src/analysis/providers/newrelic.ts';
import { endpointWith, replay, type RecordedExchange } from './recorded-exchange.ts';
import { requestOf } from './request-of.ts';

const KEYS = { newrelic_account_id: '1234567', newrelic_query_key: 'NRIQ-recorded-query-key' };
const NRQL = "SELECT percentage(count(*), WHERE error IS true) FROM Transaction WHERE appName = 'web' SINCE 5 minutes ago";

// Recorded exchange of the Insights query API (written from New Relic's API reference).
const EXCHANGE: RecordedExchange = {
  request: {
    method: 'GET',
    path:
      '/v1/accounts/1234567/query?nrql=SELECT+percentage%28count%28*%29%2C+WHERE+error+IS+true%29+FROM+Transaction' +
      '+WHERE+appName+%3D+%27web%27+SINCE+5+minutes+ago',
    headers: { 'x-query-key': 'NRIQ-recorded-query-key' },
  },
  response: {
    status: 200,
    body: {
      results: [{ result: 1.25 }],
      metadata: { eventTypes: ['Transaction'], beginTimeMillis: 1714564500000, endTimeMillis: 1714564800000 },
    },
  },
};

test('newrelic: builds the request of the recorded exchange and reads its recorded answer', () => {
  const request = newRelicQueryRequest(endpointWith('https://insights-api.newrelic.com', KEYS), NRQL);
  assert.equal(request.method, 'GET');
  assert.equal(request.url, `https://insights-api.newrelic.com${EXCHANGE.request.path}`);
  assert.deepEqual(request.headers, { 'X-Query-Key': KEYS.newrelic_query_key });
  assert.equal(newRelicValue(EXCHANGE.response.body as never), 1.25);
});

test('newrelic: the recorded exchange replayed by a fake loopback server gives the value', async () => {
  const server = await replay([EXCHANGE]);
  try {
    assert.equal(await createNewRelicProvider().query(endpointWith(server.url, KEYS), requestOf({ type: 'newrelic' }, NRQL)), 1.25);
    assert.deepEqual(server.mismatches, []);
  } finally {
    await server.close();
  }
});

test('newrelic: the first number of the first result, at any depth; none is no data; an error fails', () => {
  assert.equal(newRelicValue({ results: [{ count: 42 }] }), 42);
  assert.equal(newRelicValue({ results: [{ percentiles: { '99': 0.35 } }] }), 0.35);
  assert.equal(newRelicValue({ results: [{ average: null }] }), undefined);
  assert.equal(newRelicValue({ results: [] }), undefined);
  assert.throws(() => newRelicValue({ error: 'NRQL Syntax Error: Error at line 1' }), /newrelic query failed: NRQL Syntax Error/);
  assert.throws(() => newRelicQueryRequest(endpointWith('https://x', { newrelic_account_id: '1' }, 'shop/nr'), NRQL), {
    message: 'secret shop/nr has no key newrelic_query_key',
  });
});
