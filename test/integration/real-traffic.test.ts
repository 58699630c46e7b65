// Canaries judged on real traffic: the demo app served by real processes, Traefik routing the users'
// requests, the load tester sending them, and Prometheus computing the checks from what Traefik and
// the pods export. Every claim is counted from responses, never read from a routing object.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/kube/objects.ts';
import { getCanary, waitForPhase } from '../helpers/canary-fixtures.ts';
import { throughRouter } from '../helpers/router-request.ts';
import { getDeployment, imageOf } from '../helpers/canary-fixtures.ts';
import {
  atWeight,
  canaryScaledDown,
  demoImage,
  release,
  sample,
  startScenario,
  watchUsers,
  withinBinomial,
  type Scenario,
  type Tally,
  type TrafficProvider,
} from '../helpers/release-scenario.ts';

const SAMPLE = 200;
const builtinMetrics = [
  { name: 'request-success-rate', interval: '10s', thresholdRange: { min: 99 } },
  { name: 'request-duration', interval: '10s', thresholdRange: { max: 500 } },
];

/** Every answer users got was a 2xx from v1 or v2. */
function assertNothingLost(tally: Tally): void {
  const ok = Object.entries(tally.byStatus).reduce((sum, [status, n]) => sum + (status.startsWith('2') ? n : 0), 0);
  assert.equal(ok, tally.total, `every request answered 2xx (${JSON.stringify(tally.byStatus)})`);
  const versions = Object.keys(tally.byVersion).sort();
  assert.ok(
    versions.every((version) => ['1.0.0', '2.0.0'].includes(version)),
    `only v1 and v2 answered (${versions.join(', ')})`,
  );
  assert.equal((tally.byVersion['1.0.0'] ?? 0) + (tally.byVersion['2.0.0'] ?? 0), tally.total);
}

async function primaryImage(scenario: Scenario): Promise<string | undefined> {
  return imageOf(await getDeployment(scenario.cluster, scenario.namespace, 'web-primary')) as string | undefined;
}

/** The templates for Traefik as the Gateway implementation, as users copy them into their namespace. */
function traefikGatewayTemplates(): KubeObject[] {
  const file = new URL('../../analysis-templates/gatewayapi-traefik.yaml', import.meta.url);
  return parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS() as KubeObject);
}

/**
 * A weighted release: at every step the share of v2 answers follows the step weight; promoted,
 * nothing lost. The gatewayapi run is judged by what Traefik counted as the Gateway (templates of
 * analysis-templates/gatewayapi-traefik.yaml); its faulty runs below use the built-ins (the pods' metrics).
 */
async function weightedRelease(t: TestContext, provider: TrafficProvider): Promise<void> {
  const gateway = provider === 'gatewayapi';
  const metrics = gateway
    ? builtinMetrics.map((metric) => ({ ...metric, templateRef: { name: `${metric.name}-gatewayapi-traefik` } }))
    : builtinMetrics;
  const scenario = await startScenario(
    t,
    provider,
    { interval: '8s', stepWeight: 25, maxWeight: 75, metrics },
    gateway ? { metricTemplates: traefikGatewayTemplates() } : {},
  );
  const users = watchUsers(scenario);
  await release(scenario, '2.0.0');
  for (const weight of [25, 50, 75]) {
    await atWeight(scenario, weight);
    const tally = await sample(scenario, SAMPLE);
    const share = withinBinomial(tally.byVersion['2.0.0'] ?? 0, SAMPLE, weight / 100);
    assert.ok(
      share.ok,
      `weight ${weight}: ${tally.byVersion['2.0.0'] ?? 0} of ${SAMPLE} answers from v2, expected ${share.expected} ± ${share.tolerance.toFixed(1)}`,
    );
    assert.equal(tally.byVersion['1.0.0'] ?? 0, SAMPLE - (tally.byVersion['2.0.0'] ?? 0), `weight ${weight}: the rest from v1`);
  }
  const succeeded = await waitForPhase(scenario.cluster, scenario.namespace, 'web', 'Succeeded', 180_000);
  assert.deepEqual((await sample(scenario, 100)).byVersion, { '2.0.0': 100 }, 'after promotion every answer comes from v2');
  // The users keep going while the canary is scaled to zero and the router follows.
  await canaryScaledDown(scenario);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const after = await sample(scenario, 100);
  assert.deepEqual(after.byVersion, { '2.0.0': 100 }, 'once the canary is gone every answer still comes from v2');
  assertNothingLost(await users.stop());
  assert.equal(await primaryImage(scenario), demoImage('2.0.0'));
  // The checks were computed by Prometheus from what Traefik counted for the canary's Service.
  const canaryService = gateway
    ? `${scenario.namespace}-web-canary-http-\\[0-9\\]\\+@kubernetesgateway`
    : `${scenario.namespace}-web-canary-\\[0-9\\]\\+@kubernetescrd`;
  const success = succeeded.status?.checks?.find((check) => check.name === 'request-success-rate');
  assert.equal(success?.passed, true);
  assert.ok((success?.value ?? 0) >= 99, `request-success-rate measured ${success?.value}`);
  assert.match(success?.query ?? '', new RegExp(`traefik_service_requests_total\\{service=~"${canaryService}"`));
  const duration = succeeded.status?.checks?.find((check) => check.name === 'request-duration');
  assert.equal(duration?.passed, true);
  assert.ok((duration?.value ?? 0) > 0 && (duration?.value ?? 0) <= 500, `request-duration measured ${duration?.value} ms`);
  assert.match(duration?.query ?? '', new RegExp(`traefik_service_request_duration_seconds_bucket\\{service=~"${canaryService}"`));
}

/** A faulty release: rolled back on the built-in checks; afterwards no answer comes from it. */
async function faultyRelease(
  t: TestContext,
  provider: TrafficProvider,
  env: Record<string, string>,
  metric: string,
): Promise<Scenario & { failedValue: number | undefined }> {
  const scenario = await startScenario(t, provider, {
    interval: '8s',
    stepWeight: 25,
    maxWeight: 75,
    threshold: 2,
    metrics: builtinMetrics,
  });
  await release(scenario, '2.0.0', env);
  const failed = await waitForPhase(scenario.cluster, scenario.namespace, 'web', 'Failed', 180_000);
  assert.equal(failed.status?.reason, 'FailedChecks');
  const check = failed.status?.checks?.find((candidate) => candidate.name === metric && !candidate.passed);
  assert.ok(check, `${metric} failed: ${failed.status?.message}`);
  assert.equal(typeof check.value, 'number', `${metric} has a measured value (${check.reason}: ${check.message})`);
  await canaryScaledDown(scenario);
  const after = await sample(scenario, 100);
  assert.deepEqual(after.byVersion, { '1.0.0': 100 }, 'after the rollback no answer comes from v2');
  assert.equal(await primaryImage(scenario), demoImage('1.0.0'), 'the failed version never reached the primary');
  return { ...scenario, failedValue: check.value };
}

for (const provider of ['traefik', 'gatewayapi'] as const) {
  test(`${provider}: at every step the share of v2 answers follows the weight, the release is promoted, and no request is lost`, (t) =>
    weightedRelease(t, provider));

  test(`${provider}: a v2 failing 30 % of requests is rolled back by request-success-rate from real traffic`, async (t) => {
    const { failedValue } = await faultyRelease(t, provider, { DEMO_ERROR_RATE: '0.3' }, 'request-success-rate');
    assert.ok(failedValue !== undefined && failedValue < 99 && failedValue > 50, `measured success rate ${failedValue} %`);
  });

  test(`${provider}: a v2 answering in 800 ms is rolled back by request-duration from real traffic`, async (t) => {
    const { failedValue } = await faultyRelease(t, provider, { DEMO_LATENCY_MS: '800' }, 'request-duration');
    assert.ok(failedValue !== undefined && failedValue > 500, `measured p99 ${failedValue} ms`);
  });
}

test("traefik mirroring: the canary receives copies of the requests, users get only the primary's answers", async (t) => {
  const scenario = await startScenario(t, 'traefik', { interval: '10s', iterations: 3, mirror: true, metrics: builtinMetrics });
  await release(scenario, '2.0.0');
  await waitForPhase(scenario.cluster, scenario.namespace, 'web', 'Progressing', 60_000);
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const canaryRequests = () => podRequests(scenario, 'web-[0-9a-z]+-[0-9a-z]+');
  const before = await canaryRequests();
  const users = await sample(scenario, 100);
  assert.deepEqual(users.byVersion, { '1.0.0': 100 }, "users get only the primary's answers");
  const mirrored = await eventuallyValue(async () =>
    (await canaryRequests()) - before >= 100 ? (await canaryRequests()) - before : undefined,
  );
  assert.ok(mirrored >= 100, `the canary received copies (${mirrored})`);
  await waitForPhase(scenario.cluster, scenario.namespace, 'web', 'Succeeded', 180_000);
});

test('gatewayapi A/B: exactly the requests that match a header or a cookie reach the canary', async (t) => {
  const scenario = await startScenario(t, 'gatewayapi', {
    interval: '10s',
    iterations: 3,
    match: [{ headers: { 'x-canary': { exact: 'insider' } } }, { headers: { cookie: { regex: '^(.*;\\s*)?canary=always(;.*)?$' } } }],
  });
  await release(scenario, '2.0.0');
  await waitForPhase(scenario.cluster, scenario.namespace, 'web', 'Progressing', 60_000);
  // The router takes the match rule some time after the Canary says Progressing; wait until it serves it.
  await eventuallyValue(async () => ((await sample(scenario, 1, { 'x-canary': 'insider' })).byVersion['2.0.0'] === 1 ? true : undefined));
  assert.deepEqual((await sample(scenario, 100, { 'x-canary': 'insider' })).byVersion, { '2.0.0': 100 }, 'the header');
  assert.deepEqual((await sample(scenario, 100, { cookie: 'session=1; canary=always' })).byVersion, { '2.0.0': 100 }, 'the cookie');
  assert.deepEqual(
    (await sample(scenario, 100, { 'x-canary': 'outsider', cookie: 'canary=never; session=canary=always' })).byVersion,
    { '1.0.0': 100 },
    'the rest',
  );
});

test("traefik session affinity: a client that got the canary's cookie keeps getting the canary, one that got the primary's keeps the primary", async (t) => {
  const scenario = await startScenario(t, 'traefik', {
    interval: '15s',
    stepWeight: 20,
    maxWeight: 40,
    sessionAffinity: { cookieName: 'wren-session', maxAge: 600 },
  });
  await release(scenario, '2.0.0');
  await atWeight(scenario, 20);
  const cookies: Record<string, string> = {};
  for (let i = 0; i < 200 && Object.keys(cookies).length < 2; i++) {
    const answer = await throughRouter(scenario.router, scenario.host);
    const version = answer.headers['x-demo-version'] as string;
    const setCookie = answer.headers['set-cookie'];
    if (setCookie && !cookies[version]) cookies[version] = String(setCookie).split(';')[0] as string;
  }
  assert.ok(cookies['2.0.0']?.startsWith('wren-session='), `a canary answer set the session cookie (${JSON.stringify(cookies)})`);
  assert.ok(cookies['1.0.0']?.startsWith('wren-session='), `a primary answer set the session cookie (${JSON.stringify(cookies)})`);
  assert.deepEqual(
    (await sample(scenario, 100, { cookie: cookies['2.0.0'] as string })).byVersion,
    { '2.0.0': 100 },
    'pinned to the canary',
  );
  assert.deepEqual(
    (await sample(scenario, 100, { cookie: cookies['1.0.0'] as string })).byVersion,
    { '1.0.0': 100 },
    'pinned to the primary',
  );
  const canary = await getCanary(scenario.cluster, scenario.namespace, 'web');
  assert.equal(canary.status?.canaryWeight, 20, 'measured while the canary had 20 % of new sessions');
});

async function podRequests(scenario: Scenario, podPattern: string): Promise<number> {
  const query = `sum(http_request_duration_seconds_count{namespace="${scenario.namespace}", pod=~"${podPattern}", path="/"})`;
  const body = (await (await fetch(`${scenario.prometheus}/api/v1/query?${new URLSearchParams({ query })}`)).json()) as {
    data: { result: { value: [number, string] }[] };
  };
  return body.data.result.reduce((sum, sample) => sum + Number(sample.value[1]), 0);
}

async function eventuallyValue<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test('kubernetes: blue/green switches all at once, users get v1 during the analysis and v2 after promotion, and no request is lost', async (t) => {
  const scenario = await startScenario(t, 'kubernetes', { interval: '8s', iterations: 2, metrics: builtinMetrics }, { canaryLoad: true });
  const users = watchUsers(scenario);
  await release(scenario, '2.0.0');
  await waitForPhase(scenario.cluster, scenario.namespace, 'web', 'Progressing', 60_000);
  assert.deepEqual((await sample(scenario, 100)).byVersion, { '1.0.0': 100 }, 'during the analysis only v1 answers');
  await waitForPhase(scenario.cluster, scenario.namespace, 'web', 'Succeeded', 180_000);
  assert.deepEqual((await sample(scenario, 100)).byVersion, { '2.0.0': 100 }, 'after promotion only v2 answers');
  await canaryScaledDown(scenario);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  assertNothingLost(await users.stop());
});

test("kubernetes: a v2 failing 30 % of requests is rolled back by request-success-rate computed from the pods' metrics", async (t) => {
  const { failedValue } = await faultyReleaseBlueGreen(t);
  assert.ok(failedValue !== undefined && failedValue < 99 && failedValue > 50, `measured success rate ${failedValue} %`);
});

async function faultyReleaseBlueGreen(t: TestContext) {
  const scenario = await startScenario(
    t,
    'kubernetes',
    { interval: '8s', iterations: 4, threshold: 2, metrics: builtinMetrics },
    { canaryLoad: true },
  );
  await release(scenario, '2.0.0', { DEMO_ERROR_RATE: '0.3' });
  const failed = await waitForPhase(scenario.cluster, scenario.namespace, 'web', 'Failed', 180_000);
  const check = failed.status?.checks?.find((candidate) => candidate.name === 'request-success-rate' && !candidate.passed);
  assert.equal(failed.status?.reason, 'FailedChecks');
  assert.equal(typeof check?.value, 'number', `measured, not ${check?.reason}`);
  await canaryScaledDown(scenario);
  assert.deepEqual((await sample(scenario, 100)).byVersion, { '1.0.0': 100 }, 'users never left v1');
  assert.equal(await primaryImage(scenario), demoImage('1.0.0'));
  return { failedValue: check?.value };
}
