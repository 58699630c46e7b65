import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createDynatraceProvider,
  dynatraceQueryRequest,
  dynatraceValue,
  relativeFrom,
} from '../../../../src/analysis/providers/dynatrace.ts';
import { endpointWith, replay, type RecordedExchange } from './recorded-exchange.ts';
import { requestOf } from './request-of.ts';

const KEYS = { dynatrace_token: 'dt0c01.RECORDED.TOKEN' };
const SELECTOR = 'builtin:service.response.time:filter(eq("dt.entity.service.name","web")):avg';

// Recorded exchange of the Metrics API v2 (written from Dynatrace's API reference).
const EXCHANGE: RecordedExchange = {
  request: {
    method: 'GET',
    path:
      '/api/v2/metrics/query?metricSelector=builtin%3Aservice.response.time%3Afilter%28eq%28%22dt.entity.service.name%22' +
      '%2C%22web%22%29%29%3Aavg&from=now-5m',
    headers: { authorization: 'Api-Token dt0c01.RECORDED.TOKEN' },
  },
  response: {
    status: 200,
    body: {
      totalCount: 1,
      nextPageKey: null,
      resolution: '1m',
      result: [
        {
          metricId: SELECTOR,
          data: [
            {
              dimensions: [],
              dimensionMap: {},
              timestamps: [1714564620000, 1714564680000, 1714564740000, 1714564800000],
              values: [1200.5, 1310.25, 1180, null],
            },
          ],
        },
      ],
    },
  },
};

test('dynatrace: builds the request of the recorded exchange and reads its recorded answer', () => {
  const request = dynatraceQueryRequest(endpointWith('https://abc12345.live.dynatrace.com/', KEYS), SELECTOR, '5m');
  assert.equal(request.method, 'GET');
  assert.equal(request.url, `https://abc12345.live.dynatrace.com${EXCHANGE.request.path}`);
  assert.deepEqual(request.headers, { Authorization: 'Api-Token dt0c01.RECORDED.TOKEN' });
  assert.equal(dynatraceValue(EXCHANGE.response.body as never), 1180);
});

test('dynatrace: the recorded exchange replayed by a fake loopback server gives the value', async () => {
  const server = await replay([EXCHANGE]);
  try {
    const value = await createDynatraceProvider().query(endpointWith(server.url, KEYS), requestOf({ type: 'dynatrace' }, SELECTOR));
    assert.equal(value, 1180);
    assert.deepEqual(server.mismatches, []);
  } finally {
    await server.close();
  }
});

test('dynatrace: the window is whole minutes when it can be, and no series or only nulls is no data', () => {
  assert.equal(relativeFrom('1m'), 'now-1m');
  assert.equal(relativeFrom('1h'), 'now-60m');
  assert.equal(relativeFrom('90s'), 'now-90s');
  assert.throws(() => relativeFrom('soon'), /interval "soon" is not a duration/);
  assert.equal(dynatraceValue({ result: [] }), undefined);
  assert.equal(dynatraceValue({ result: [{ data: [{ values: [null, null] }] }] }), undefined);
  assert.equal(dynatraceValue({ result: [{ data: [] }] }), undefined);
});
