import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createDatadogProvider,
  datadogQueryRequest,
  datadogValidateRequest,
  datadogValue,
} from '../../../../src/analysis/providers/datadog.ts';
import { ProviderUnreachableError } from '../../../../src/analysis/providers/unreachable.ts';
import { endpointWith, pathOf, replay, type RecordedExchange } from './recorded-exchange.ts';
import { NOW, requestOf } from './request-of.ts';

const KEYS = { datadog_api_key: 'recorded-api-key-0001', datadog_application_key: 'recorded-app-key-0002' };
const QUERY = 'sum:trace.http.request.errors{service:web}.as_count()/sum:trace.http.request.hits{service:web}.as_count()';

// Recorded exchange of the v1 metrics query API (written from Datadog's API reference).
const QUERY_EXCHANGE: RecordedExchange = {
  request: {
    method: 'GET',
    path:
      '/api/v1/query?from=1714564500&to=1714564800&query=sum%3Atrace.http.request.errors%7Bservice%3Aweb%7D.as_count%28%29' +
      '%2Fsum%3Atrace.http.request.hits%7Bservice%3Aweb%7D.as_count%28%29',
    headers: { 'dd-api-key': 'recorded-api-key-0001', 'dd-application-key': 'recorded-app-key-0002' },
  },
  response: {
    status: 200,
    body: {
      status: 'ok',
      res_type: 'time_series',
      query: QUERY,
      from_date: 1714564500000,
      to_date: 1714564800000,
      series: [
        {
          metric: 'trace.http.request.errors',
          scope: 'service:web',
          interval: 60,
          length: 3,
          pointlist: [
            [1714564620000, 0.02],
            [1714564680000, 0.015],
            [1714564740000, 0.01],
          ],
        },
      ],
    },
  },
};

const VALIDATE_EXCHANGE: RecordedExchange = {
  request: { method: 'GET', path: '/api/v1/validate', headers: { 'dd-api-key': 'recorded-api-key-0001' } },
  response: { status: 200, body: { valid: true } },
};

test('datadog: builds the request of the recorded exchange and reads its recorded answer', () => {
  const request = datadogQueryRequest(endpointWith('https://api.datadoghq.com', KEYS), QUERY, '5m', NOW);
  assert.equal(request.method, 'GET');
  assert.equal(request.url, `https://api.datadoghq.com${QUERY_EXCHANGE.request.path}`);
  assert.deepEqual(request.headers, { 'DD-API-KEY': KEYS.datadog_api_key, 'DD-APPLICATION-KEY': KEYS.datadog_application_key });
  assert.equal(datadogValue(QUERY_EXCHANGE.response.body as never), 0.01);
  const validate = datadogValidateRequest(endpointWith('https://api.datadoghq.com/', KEYS));
  assert.equal(pathOf(validate.url), '/api/v1/validate');
  assert.deepEqual(validate.headers, { 'DD-API-KEY': KEYS.datadog_api_key });
});

test('datadog: the recorded exchanges replayed by a fake loopback server give the value and pass the probe', async () => {
  const server = await replay([VALIDATE_EXCHANGE, QUERY_EXCHANGE]);
  try {
    const provider = createDatadogProvider(() => NOW);
    const endpoint = endpointWith(server.url, KEYS);
    await provider.isOnline?.(endpoint);
    assert.equal(await provider.query(endpoint, requestOf({ type: 'datadog' }, QUERY)), 0.01);
    assert.deepEqual(server.mismatches, []);
  } finally {
    await server.close();
  }
});

test('datadog: no series, or a last point without a value, is no data; an error answer fails', () => {
  assert.equal(datadogValue({ status: 'ok', series: [] }), undefined);
  assert.equal(datadogValue({ status: 'ok' }), undefined);
  assert.equal(
    datadogValue({
      status: 'ok',
      series: [
        {
          pointlist: [
            [1, 2],
            [2, null],
          ],
        },
      ],
    }),
    undefined,
  );
  assert.throws(() => datadogValue({ status: 'error', error: 'Rule parse error' }), /datadog query failed: Rule parse error/);
});

test('datadog: a missing key is named with its secret, and no secret means secretRef is needed', () => {
  assert.throws(
    () => datadogQueryRequest(endpointWith('https://api.datadoghq.com', { datadog_api_key: 'k' }, 'shop/dd'), QUERY, '5m', NOW),
    { message: 'secret shop/dd has no key datadog_application_key' },
  );
  const bare = { address: 'https://api.datadoghq.com', headers: {}, insecureSkipVerify: false, timeoutMs: 1000 };
  assert.throws(
    () => datadogQueryRequest(bare, QUERY, '5m', NOW),
    /needs spec\.provider\.secretRef, a Secret with the key datadog_api_key/,
  );
});

test('datadog: a validate answer that is not {valid: true} means the address is not Datadog', async () => {
  const server = await replay([{ request: VALIDATE_EXCHANGE.request, response: { status: 200, body: { status: 'success' } } }]);
  try {
    await assert.rejects(createDatadogProvider(() => NOW).isOnline!(endpointWith(server.url, KEYS)), ProviderUnreachableError);
  } finally {
    await server.close();
  }
});
