import assert from 'node:assert/strict';
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import {
  accessToken,
  JWT_BEARER_GRANT,
  MONITORING_READ_SCOPE,
  parseServiceAccountKey,
  tokenRequest,
} from '../../../../src/analysis/providers/google-service-account.ts';
import {
  createStackdriverProvider,
  serviceAccountOf,
  stackdriverValue,
  timeSeriesQueryRequest,
} from '../../../../src/analysis/providers/stackdriver.ts';
import { endpointWith, replay, type RecordedExchange } from './recorded-exchange.ts';
import { NOW, requestOf } from './request-of.ts';

// A key pair made for this test: the JWT's signature is checked with its public half.
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const serviceAccountKey = (tokenUri: string) =>
  JSON.stringify({
    type: 'service_account',
    project_id: 'shop-prod',
    private_key_id: 'recorded-key-id',
    private_key: privateKey,
    client_email: 'wren-metrics@shop-prod.iam.gserviceaccount.com',
    token_uri: tokenUri,
  });
const MQL =
  "fetch k8s_container | metric 'istio.io/service/server/request_count' | filter metric.destination_workload_name == 'web' | align rate(5m) | every 5m | group_by [], [value: sum(val())]";

/** What is wrong with a JWT-bearer token request body, given the audience it must name. */
function tokenBodyProblem(body: string, audience: string): string | undefined {
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== JWT_BEARER_GRANT) return `grant_type ${form.get('grant_type')}`;
  const [header, claims, signature] = (form.get('assertion') ?? '').split('.');
  if (!header || !claims || !signature) return 'assertion is not a JWT';
  const verified = createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(publicKey, Buffer.from(signature, 'base64url'));
  if (!verified) return 'JWT signature does not verify with the public key';
  const expected = {
    header: { alg: 'RS256', typ: 'JWT', kid: 'recorded-key-id' },
    claims: {
      iss: 'wren-metrics@shop-prod.iam.gserviceaccount.com',
      scope: MONITORING_READ_SCOPE,
      aud: audience,
      iat: 1714564800,
      exp: 1714568400,
    },
  };
  const actual = {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as unknown,
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString()) as unknown,
  };
  try {
    assert.deepEqual(actual, expected);
  } catch {
    return `JWT ${JSON.stringify(actual)}`;
  }
  return undefined;
}

// Recorded exchanges of the OAuth2 JWT-bearer grant and of timeSeries:query (written from Google's
// API references); the JWT is signed with the test's key, so its body is checked, not compared.
const exchanges = (audience: () => string): RecordedExchange[] => [
  {
    request: {
      method: 'POST',
      path: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: (body) => tokenBodyProblem(body, audience()),
    },
    response: { status: 200, body: { access_token: 'ya29.recorded-access-token', expires_in: 3599, token_type: 'Bearer' } },
  },
  {
    request: {
      method: 'POST',
      path: '/v3/projects/shop-prod/timeSeries:query',
      headers: { authorization: 'Bearer ya29.recorded-access-token', 'content-type': 'application/json' },
      body: JSON.stringify({ query: MQL }),
    },
    response: {
      status: 200,
      body: {
        timeSeriesDescriptor: { pointDescriptors: [{ key: 'value', valueType: 'DOUBLE', metricKind: 'GAUGE' }] },
        timeSeriesData: [
          {
            labelValues: [],
            pointData: [
              { values: [{ doubleValue: 42.5 }], timeInterval: { startTime: '2024-05-01T11:55:00Z', endTime: '2024-05-01T12:00:00Z' } },
              { values: [{ doubleValue: 40 }], timeInterval: { startTime: '2024-05-01T11:50:00Z', endTime: '2024-05-01T11:55:00Z' } },
            ],
          },
        ],
      },
    },
  },
];

test('stackdriver: builds the requests of the recorded exchanges (a JWT that verifies with the public key) and reads the recorded answers', () => {
  const endpoint = endpointWith('https://monitoring.googleapis.com', {
    serviceAccountKey: serviceAccountKey('https://oauth2.googleapis.com/token'),
  });
  const { key, project } = serviceAccountOf(endpoint);
  assert.equal(project, 'shop-prod');
  const [tokenExchange, queryExchange] = exchanges(() => 'https://oauth2.googleapis.com/token') as [RecordedExchange, RecordedExchange];
  const token = tokenRequest(key, MONITORING_READ_SCOPE, NOW);
  assert.equal(token.method, 'POST');
  assert.equal(token.url, 'https://oauth2.googleapis.com/token');
  assert.deepEqual(token.headers, { 'Content-Type': 'application/x-www-form-urlencoded' });
  assert.equal(tokenBodyProblem(token.body ?? '', 'https://oauth2.googleapis.com/token'), undefined);
  assert.equal(accessToken(tokenExchange.response.body), 'ya29.recorded-access-token');
  const query = timeSeriesQueryRequest(endpoint, project, 'ya29.recorded-access-token', MQL);
  assert.equal(query.url, `https://monitoring.googleapis.com${queryExchange.request.path}`);
  assert.deepEqual(query.headers, { Authorization: 'Bearer ya29.recorded-access-token', 'Content-Type': 'application/json' });
  assert.equal(query.body, queryExchange.request.body);
  assert.equal(stackdriverValue(queryExchange.response.body as never), 42.5);
});

test('stackdriver: the recorded token and query exchanges replayed by a fake loopback server give the value', async () => {
  // The JWT's audience is the key's token_uri, which names the fake server's port once it listens.
  let tokenUri = '';
  const server = await replay(exchanges(() => tokenUri));
  tokenUri = `${server.url}/token`;
  try {
    const endpoint = endpointWith(server.url, { serviceAccountKey: serviceAccountKey(tokenUri) });
    assert.equal(await createStackdriverProvider(() => NOW).query(endpoint, requestOf({ type: 'stackdriver' }, MQL)), 42.5);
    assert.deepEqual(server.mismatches, []);
  } finally {
    await server.close();
  }
});

test('stackdriver: the value of the first point, int64 and bool too; no series is no data; what the key lacks is named', () => {
  assert.equal(stackdriverValue({ timeSeriesData: [{ pointData: [{ values: [{ int64Value: '17' }] }] }] }), 17);
  assert.equal(stackdriverValue({ timeSeriesData: [{ pointData: [{ values: [{ boolValue: true }] }] }] }), 1);
  assert.equal(stackdriverValue({}), undefined);
  assert.equal(stackdriverValue({ timeSeriesData: [] }), undefined);
  assert.throws(() => parseServiceAccountKey('not json', 'shop/gcp'), {
    message: 'secret shop/gcp key serviceAccountKey is not JSON (a Google service-account key file)',
  });
  assert.throws(() => parseServiceAccountKey('{"client_email":"a@b"}', 'shop/gcp'), {
    message: 'secret shop/gcp key serviceAccountKey has no private_key',
  });
  assert.equal(
    parseServiceAccountKey(JSON.stringify({ client_email: 'a@b', private_key: 'k' }), 's').token_uri,
    'https://oauth2.googleapis.com/token',
  );
  const withoutProject = JSON.stringify({ client_email: 'a@b', private_key: privateKey });
  assert.throws(
    () => serviceAccountOf(endpointWith('https://monitoring.googleapis.com', { serviceAccountKey: withoutProject }, 'shop/gcp')),
    {
      message: 'secret shop/gcp has no key project, and its serviceAccountKey no project_id',
    },
  );
  const { project } = serviceAccountOf(endpointWith('https://x', { serviceAccountKey: withoutProject, project: 'other' }));
  assert.equal(project, 'other');
  assert.throws(() => accessToken({ token_type: 'Bearer' }), /without an access_token/);
});
