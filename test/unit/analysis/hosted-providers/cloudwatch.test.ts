import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cloudWatchRegion,
  cloudWatchValue,
  createCloudWatchProvider,
  getMetricDataRequest,
  GET_METRIC_DATA_TARGET,
  metricDataQueries,
} from '../../../../src/analysis/providers/cloudwatch.ts';
import { signV4 } from '../../../../src/analysis/providers/sigv4.ts';
import { endpointWith, replay, type RecordedExchange } from './recorded-exchange.ts';
import { NOW, requestOf } from './request-of.ts';

const KEYS = { aws_access_key_id: 'AKIDEXAMPLE', aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const QUERIES = [
  {
    Id: 'errors',
    MetricStat: {
      Metric: {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: [{ Name: 'LoadBalancer', Value: 'app/web/1' }],
      },
      Period: 60,
      Stat: 'Sum',
    },
  },
];
const QUERY = JSON.stringify(QUERIES);
const BODY = `{"MetricDataQueries":${QUERY},"StartTime":1714564500,"EndTime":1714564800}`;
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20240501\/us-east-1\/monitoring\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/;

// Recorded exchange of GetMetricData over the AWS JSON 1.0 protocol (written from the CloudWatch API
// reference); the signature depends on the host the request goes to, so it is matched by its form.
const EXCHANGE: RecordedExchange = {
  request: {
    method: 'POST',
    path: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData',
      'x-amz-date': '20240501T120000Z',
      authorization: AUTHORIZATION,
    },
    body: BODY,
  },
  response: {
    status: 200,
    body: {
      MetricDataResults: [
        { Id: 'errors', Label: 'HTTPCode_Target_5XX_Count', StatusCode: 'Complete', Timestamps: [1714564740, 1714564680], Values: [3, 7] },
      ],
      Messages: [],
    },
  },
};

test('cloudwatch: builds the request of the recorded exchange (signed with SigV4) and reads its recorded answer', () => {
  const request = getMetricDataRequest(
    endpointWith('https://monitoring.us-east-1.amazonaws.com', KEYS),
    { provider: { type: 'cloudwatch' } },
    QUERY,
    '5m',
    NOW,
  );
  assert.equal(request.method, 'POST');
  assert.equal(request.url, 'https://monitoring.us-east-1.amazonaws.com/');
  assert.equal(request.body, BODY);
  const { Authorization, ...headers } = request.headers;
  assert.deepEqual(headers, {
    'Content-Type': 'application/x-amz-json-1.0',
    'X-Amz-Target': GET_METRIC_DATA_TARGET,
    'X-Amz-Date': '20240501T120000Z',
  });
  assert.match(Authorization ?? '', AUTHORIZATION);
  // The signature covers exactly what is sent, with the Host fetch derives from the URL.
  const resigned = signV4(
    { method: 'POST', url: new URL(request.url), headers: { ...headers, host: 'monitoring.us-east-1.amazonaws.com' }, body: BODY },
    { accessKeyId: KEYS.aws_access_key_id, secretAccessKey: KEYS.aws_secret_access_key, region: 'us-east-1', service: 'monitoring' },
  );
  assert.equal(Authorization, resigned.authorization);
  assert.equal(cloudWatchValue(EXCHANGE.response.body as never), 3);
});

test('cloudwatch: the recorded exchange replayed by a fake loopback server gives the value (region from spec.provider.region)', async () => {
  const server = await replay([EXCHANGE]);
  try {
    const provider = createCloudWatchProvider(() => NOW);
    const value = await provider.query(endpointWith(server.url, KEYS), requestOf({ type: 'cloudwatch', region: 'us-east-1' }, QUERY));
    assert.equal(value, 3);
    assert.deepEqual(server.mismatches, []);
  } finally {
    await server.close();
  }
});

test('cloudwatch: a session token is sent and signed', () => {
  const request = getMetricDataRequest(
    endpointWith('https://monitoring.eu-west-1.amazonaws.com', { ...KEYS, aws_session_token: 'recorded-session-token' }),
    { provider: { type: 'cloudwatch' } },
    QUERY,
    '1m',
    NOW,
  );
  assert.equal(request.headers['X-Amz-Security-Token'], 'recorded-session-token');
  assert.match(
    request.headers.Authorization ?? '',
    /\/eu-west-1\/monitoring\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,/,
  );
});

test('cloudwatch: region, query and values: what is missing is named; a result without values is no data', () => {
  assert.equal(cloudWatchRegion('https://monitoring.ap-south-1.amazonaws.com', undefined), 'ap-south-1');
  assert.equal(cloudWatchRegion('https://monitoring.cn-north-1.amazonaws.com.cn/', undefined), 'cn-north-1');
  assert.equal(cloudWatchRegion('http://127.0.0.1:4566', 'us-west-2'), 'us-west-2');
  assert.throws(() => cloudWatchRegion('http://127.0.0.1:4566', undefined), /spec\.provider\.region/);
  assert.throws(() => metricDataQueries('{"Id":"q"}'), /spec\.query of a cloudwatch template must be a JSON array of MetricDataQueries/);
  assert.throws(() => metricDataQueries('[]'), /JSON array of MetricDataQueries/);
  assert.equal(cloudWatchValue({ MetricDataResults: [{ Id: 'a', Values: [] }] }), undefined);
  assert.equal(
    cloudWatchValue({
      MetricDataResults: [
        { Id: 'a', Values: [] },
        { Id: 'b', Values: [0.5] },
      ],
    }),
    0.5,
  );
  assert.throws(
    () =>
      getMetricDataRequest(
        endpointWith('https://monitoring.us-east-1.amazonaws.com', { aws_access_key_id: 'AKID' }, 'shop/aws'),
        { provider: { type: 'cloudwatch' } },
        QUERY,
        '5m',
        NOW,
      ),
    { message: 'secret shop/aws has no key aws_secret_access_key' },
  );
});
