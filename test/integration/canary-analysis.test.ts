// Analysis against real parts: Prometheus (Debian's package) scrapes an instrumented app that the
// load tester sends real traffic to; the Canary's built-in metrics judge each step. The load tester
// requires its token: the Canaries' webhooks send it from a Secret (secretRef).
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Canary } from '../../src/api/canary.ts';
import { CANARIES, DEPLOYMENTS, SECRETS } from '../../src/kube/resource-types.ts';
import { appDeployment, canaryFor, getCanary, getDeployment, imageOf, setImage, waitForPhase } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { InstrumentedApp } from '../helpers/instrumented-app.ts';
import { startLoadTester } from '../helpers/loadtester-process.ts';
import { operatorFor } from '../helpers/operator-process.ts';
import { startPrometheus, waitForScrapes, type TestPrometheus } from '../helpers/prometheus.ts';
import { WebhookServer } from '../helpers/webhook-server.ts';
import { runWren } from '../helpers/wren-cli.ts';

const V1 = 'ghcr.io/example/podinfo:1.0.0';
const V2 = 'ghcr.io/example/podinfo:2.0.0';

/** The Secret in each test namespace that holds the load tester's token (key "token"). */
const LOADTESTER_SECRET = 'loadtester';

const builtinMetrics = [
  { name: 'request-success-rate', interval: '10s', thresholdRange: { min: 99 } },
  { name: 'request-duration', interval: '10s', thresholdRange: { max: 500 } },
];

interface Setup {
  cluster: TestCluster;
  namespace: string;
  app: InstrumentedApp;
  prometheus: TestPrometheus;
  loadTester: Awaited<ReturnType<typeof startLoadTester>>;
}

/** A namespace with an operator pointed at a Prometheus that scrapes the app of the podinfo canary. */
async function setup(t: TestContext, options: { traffic: boolean }): Promise<Setup> {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const app = await new InstrumentedApp(namespace, 'podinfo-5f7b8c9d4-x2k7q').start(t);
  const prometheus = await startPrometheus(t, [app.address]);
  const loadTester = await startLoadTester(t, { allowTargets: [new URL(app.url).origin] });
  await cluster.client.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: LOADTESTER_SECRET, namespace },
    stringData: { token: loadTester.token },
  });
  operatorFor(t, cluster.kubeconfigPath, namespace, ['--metrics-server', prometheus.url]);
  await waitForScrapes(prometheus.url);
  if (options.traffic) {
    const started = await loadTester.post('/', {
      name: 'podinfo',
      namespace,
      metadata: { type: 'load', url: app.url, rate: '20', concurrency: '2', duration: '5m', wait: 'false' },
    });
    assert.equal(started, 202);
  }
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  return { cluster, namespace, app, prometheus, loadTester };
}

test('a healthy canary is promoted on its built-in metrics', async (t) => {
  const { cluster, namespace } = await setup(t, { traffic: true });
  await cluster.client.create(CANARIES, canaryFor('podinfo', namespace, { interval: '4s', iterations: 2, metrics: builtinMetrics }));
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', V2);
  const succeeded = await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded', 120_000);
  const success = succeeded.status?.checks?.find((check) => check.name === 'request-success-rate');
  assert.equal(success?.passed, true);
  assert.equal(success?.value, 100);
  assert.equal(success?.threshold, '>= 99');
  assert.match(success?.query ?? '', new RegExp(`namespace="${namespace}", pod=~"podinfo-\\[0-9a-zA-Z\\]\\+`));
  const duration = succeeded.status?.checks?.find((check) => check.name === 'request-duration');
  assert.equal(duration?.passed, true);
  assert.ok((duration?.value ?? Infinity) < 500, `p99 latency ${duration?.value} ms`);
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2);
});

test('errors injected into the canary roll it back within threshold intervals', async (t) => {
  const { cluster, namespace, app } = await setup(t, { traffic: true });
  await cluster.client.create(
    CANARIES,
    canaryFor('podinfo', namespace, { interval: '4s', iterations: 10, threshold: 2, metrics: builtinMetrics }),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  app.errorRate = 0.5;
  await setImage(cluster, namespace, 'podinfo', V2);
  const failed = await waitForPhase(cluster, namespace, 'podinfo', 'Failed', 120_000);
  assert.equal(failed.status?.reason, 'FailedChecks');
  assert.equal(failed.status?.failedChecks, 2);
  assert.ok((failed.status?.iterations ?? 0) < 10, 'rolled back long before the run would have ended');
  const success = failed.status?.checks?.find((check) => check.name === 'request-success-rate');
  assert.equal(success?.passed, false);
  assert.equal(success?.reason, 'BelowThreshold');
  assert.ok((success?.value ?? 100) < 99, `measured ${success?.value}`);
  assert.match(failed.status?.message ?? '', /request-success-rate \d+(\.\d+)? < 99/);
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V1);
});

test('with no traffic the checks report NoData and the canary is never promoted', async (t) => {
  const { cluster, namespace } = await setup(t, { traffic: false });
  await cluster.client.create(
    CANARIES,
    canaryFor('podinfo', namespace, { interval: '3s', iterations: 2, threshold: 2, metrics: builtinMetrics }),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', V2);
  const failed = await waitForPhase(cluster, namespace, 'podinfo', 'Failed', 120_000);
  const noData = failed.status?.checks?.filter((check) => check.reason === 'NoData') ?? [];
  assert.ok(noData.length >= 2);
  assert.match(noData[0]?.message ?? '', /is the canary receiving traffic/);
  assert.match(noData[0]?.query ?? '', /http_request_duration_seconds/, 'the message points at the query that came back empty');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V1);
});

/** A Canary (threshold 1) with one metric and no traffic, released to V2, once its run pauses for a person. */
async function releaseUntilPaused(cluster: TestCluster, namespace: string, metric: object, iterations: number): Promise<Canary> {
  await cluster.client.create(CANARIES, canaryFor('podinfo', namespace, { interval: '3s', iterations, threshold: 1, metrics: [metric] }));
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', V2);
  return eventually('the run to pause for a person', async () => {
    const canary = await getCanary(cluster, namespace, 'podinfo');
    return canary.status?.pausedFor ? canary : undefined;
  });
}

test('onNoData: inconclusive holds the step instead of failing it; one NoData more than inconclusiveLimit pauses the run until wren promote', async (t) => {
  const { cluster, namespace } = await setup(t, { traffic: false });
  const metric = {
    name: 'request-success-rate',
    interval: '10s',
    thresholdRange: { min: 99 },
    onNoData: 'inconclusive',
    inconclusiveLimit: 1,
  };
  // threshold 1: a single NoData counted as a failed check would roll the run back.
  const paused = await releaseUntilPaused(cluster, namespace, metric, 1);
  assert.equal(paused.status?.phase, 'Progressing');
  assert.equal(paused.status?.pausedFor, 'InconclusiveLimitExceeded');
  assert.equal(paused.status?.reason, 'InconclusiveLimitExceeded');
  assert.match(
    paused.status?.message ?? '',
    /^paused at step 1: "request-success-rate" was inconclusive 2 times, more than its inconclusiveLimit of 1 \(no data for "request-success-rate".*\); run `wren promote` to continue or `wren abort` to roll back$/,
  );
  assert.equal(paused.status?.failedChecks ?? 0, 0, 'no data was never a failed check');
  const judged = paused.status?.checks?.filter((check) => check.name === 'request-success-rate') ?? [];
  assert.deepEqual(
    judged.map((check) => [check.reason, check.inconclusive]),
    [
      ['NoData', true],
      ['NoData', true],
    ],
  );
  assert.deepEqual(paused.status?.metricCounts, [{ name: 'request-success-rate', failed: 0, inconclusive: 2, consecutiveErrors: 0 }]);
  const eventsOf = async (reason: string) =>
    (await cluster.kubectl(['get', 'events', '-n', namespace, '--field-selector', `reason=${reason}`, '-o', 'name']))
      .trim()
      .split('\n')
      .filter(Boolean);
  assert.equal((await eventsOf('Inconclusive')).length, 1, 'the first NoData held the step, and said so');
  assert.equal((await eventsOf('InconclusiveLimitExceeded')).length, 1);

  // Give a wrongly running engine several intervals to show itself: a paused run is judged no more.
  await new Promise((resolve) => setTimeout(resolve, 7000));
  const still = await getCanary(cluster, namespace, 'podinfo');
  assert.equal(still.status?.pausedFor, 'InconclusiveLimitExceeded');
  assert.deepEqual(still.status?.checks, paused.status?.checks, 'no check ran while the run waited');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V1, 'nothing promoted meanwhile');

  const promote = await runWren(cluster.kubeconfigPath, 'promote', 'podinfo', '-n', namespace);
  assert.equal(promote.code, 0, promote.stderr);
  const succeeded = await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded', 120_000);
  assert.equal(succeeded.status?.pausedFor, undefined);
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2);
});

test('onNoData: pause stops the run at the first NoData for a person; wren abort then rolls it back', async (t) => {
  const { cluster, namespace } = await setup(t, { traffic: false });
  const metric = { name: 'request-success-rate', interval: '10s', thresholdRange: { min: 99 }, onNoData: 'pause' };
  const paused = await releaseUntilPaused(cluster, namespace, metric, 3);
  assert.equal(paused.status?.phase, 'Progressing');
  assert.equal(paused.status?.pausedFor, 'NoData');
  assert.equal(paused.status?.failedChecks ?? 0, 0, 'no data paused the run, it was not a failed check');
  assert.deepEqual(
    (paused.status?.checks ?? []).map((check) => check.reason),
    ['NoData'],
    'paused at the first NoData',
  );
  assert.match(paused.status?.message ?? '', /^paused at step 1: .*; run `wren promote` to continue or `wren abort` to roll back$/);
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V1);

  const abort = await runWren(cluster.kubeconfigPath, 'abort', 'podinfo', '-n', namespace);
  assert.equal(abort.code, 0, abort.stderr);
  const failed = await waitForPhase(cluster, namespace, 'podinfo', 'Failed', 60_000);
  assert.equal(failed.status?.reason, 'Aborted');
  assert.equal(failed.status?.pausedFor, undefined);
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V1, 'the primary never left v1');
});

test('load tester gates hold the run in Waiting and WaitingPromotion until opened', async (t) => {
  const { cluster, namespace, loadTester } = await setup(t, { traffic: true });
  const who = { name: 'podinfo', namespace };
  await cluster.client.create(
    CANARIES,
    canaryFor('podinfo', namespace, {
      interval: '2s',
      iterations: 3,
      webhooks: [
        { name: 'start', type: 'confirm-rollout', url: `${loadTester.url}/gate/check`, secretRef: { name: LOADTESTER_SECRET } },
        { name: 'ship', type: 'confirm-promotion', url: `${loadTester.url}/gate/check`, secretRef: { name: LOADTESTER_SECRET } },
      ],
    }),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', V2);
  const waiting = await waitForPhase(cluster, namespace, 'podinfo', 'Waiting');
  assert.equal(waiting.status?.reason, 'WaitingForApproval');
  assert.equal((await getDeployment(cluster, namespace, 'podinfo')).spec?.replicas, 0, 'nothing starts before the rollout is confirmed');

  // One gate per canary, as in Flagger's load tester: opened, it lets the rollout start; closed
  // again while the steps run, it holds the promotion.
  assert.equal(await loadTester.post('/gate/open', who), 200);
  await waitForPhase(cluster, namespace, 'podinfo', 'Progressing');
  assert.equal(await loadTester.post('/gate/close', who), 200);
  const held = await waitForPhase(cluster, namespace, 'podinfo', 'WaitingPromotion');
  assert.equal(held.status?.iterations, 3, 'every step passed');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V1, 'held before promotion');
  assert.equal(await loadTester.post('/gate/open', who), 200);
  const succeeded = await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2);
  assert.ok(!JSON.stringify(succeeded).includes(loadTester.token as string), 'the token never appears in the Canary');
});

test('a rollback requested through the load tester fails the run; alerts reach the receiver', async (t) => {
  const { cluster, namespace, loadTester } = await setup(t, { traffic: true });
  const receiver = await new WebhookServer().start(t);
  await cluster.client.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'alerts', namespace },
    stringData: { address: receiver.url('/hooks/secret-token') },
  });
  await cluster.kubectl(
    ['apply', '-n', namespace, '-f', '-'],
    JSON.stringify({
      apiVersion: 'wren.dev/v1alpha1',
      kind: 'AlertProvider',
      metadata: { name: 'on-call' },
      spec: { type: 'webhook', secretRef: { name: 'alerts' } },
    }),
  );
  await cluster.client.create(
    CANARIES,
    canaryFor('podinfo', namespace, {
      interval: '2s',
      iterations: 20,
      webhooks: [{ name: 'emergency', type: 'rollback', url: `${loadTester.url}/rollback/check`, secretRef: { name: LOADTESTER_SECRET } }],
      alerts: [{ name: 'on-call', severity: 'info', providerRef: { name: 'on-call' } }],
    }),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', V2);
  await eventually('a first passing step', async () => ((await getCanary(cluster, namespace, 'podinfo')).status?.iterations ?? 0) >= 1);
  assert.equal(await loadTester.post('/rollback/open', { name: 'podinfo', namespace }), 200);
  const failed = await waitForPhase(cluster, namespace, 'podinfo', 'Failed');
  assert.equal(failed.status?.reason, 'RollbackHook');

  const alerts = await eventually('the rollback alert', () => {
    const received = receiver.callsTo('/hooks/secret-token').map((call) => call.body);
    return received.some((body) => body.severity === 'error') ? received : undefined;
  });
  const reasons = alerts.map((body) => `${body.severity}:${body.reason}`);
  assert.ok(reasons.includes('info:NewRevision'), reasons.join(', '));
  assert.ok(reasons.includes('error:RollbackHook'), reasons.join(', '));
  assert.ok(alerts.every((body) => body.name === 'podinfo' && body.namespace === namespace));
  const canary = JSON.stringify(await getCanary(cluster, namespace, 'podinfo'));
  assert.ok(!canary.includes('secret-token'), 'the receiver address never appears in status');
});

test('Prometheus going away mid-analysis: the run never promotes, says the metrics are unavailable, and resumes when it is back', async (t) => {
  const { cluster, namespace, prometheus } = await setup(t, { traffic: true });
  // threshold 1: a single check counted as failed would roll the run back.
  await cluster.client.create(
    CANARIES,
    canaryFor('podinfo', namespace, { interval: '3s', iterations: 4, threshold: 1, metrics: builtinMetrics }),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', V2);
  await eventually(
    'a first passed check of the new revision',
    async () => ((await getCanary(cluster, namespace, 'podinfo')).status?.iterations ?? 0) >= 1,
  );

  await prometheus.stop();
  const held = await eventually('the run to say the metrics are unavailable', async () => {
    const canary = await getCanary(cluster, namespace, 'podinfo');
    return /^metrics unavailable: .*holds and nothing is promoted/.test(canary.status?.message ?? '') ? canary : undefined;
  });
  const heldAt = held.status?.iterations;
  // Several more intervals with the server down: each is attempted, none counts either way.
  const later = await eventually('two more attempts while it is down', async () => {
    const canary = await getCanary(cluster, namespace, 'podinfo');
    const unreachable = canary.status?.checks?.filter((check) => check.reason === 'Unreachable') ?? [];
    return unreachable.length >= 3 ? canary : undefined;
  });
  assert.equal(later.status?.phase, 'Progressing');
  assert.equal(later.status?.failedChecks ?? 0, 0, 'an unreachable server is not a failed check');
  assert.equal(later.status?.iterations, heldAt, 'nor a passed one');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V1, 'nothing promoted blind');
  const events = await cluster.kubectl(['get', 'events', '-n', namespace, '--field-selector', 'reason=MetricsUnavailable', '-o', 'name']);
  assert.equal(events.trim().split('\n').filter(Boolean).length, 1, 'said once, not at every interval');

  await prometheus.restart();
  const succeeded = await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded', 120_000);
  assert.equal(succeeded.status?.failedChecks ?? 0, 0);
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2);
});

test('a metrics server that answers oddly keeps the Canary waiting without being hammered: its checks back off', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  // A server that answers every query, but not as Prometheus would: vector(1) comes back as 2.
  const odd = await new WebhookServer().start(t);
  odd.answer('/api/v1/query', 200, JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [0, '2'] } }));
  operatorFor(t, cluster.kubeconfigPath, namespace, ['--metrics-server', odd.url('')]);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(CANARIES, canaryFor('podinfo', namespace, { iterations: 2, metrics: builtinMetrics }));
  const waiting = await eventually('the Canary to wait for its metrics server', async () => {
    const canary = await getCanary(cluster, namespace, 'podinfo');
    return /answered vector\(1\) with 2/.test(canary.status?.message ?? '') ? canary : undefined;
  });
  assert.equal(waiting.status?.phase ?? 'Initializing', 'Initializing');
  const before = odd.callsTo('/api/v1/query').length;
  await new Promise((resolve) => setTimeout(resolve, 20_000));
  const asked = odd.callsTo('/api/v1/query').length - before;
  // Backing off from 2 s, doubling: at most 4 attempts fit in 20 s (jitter only shortens a wait by a
  // fifth); without the backoff it was about a hundred a second.
  assert.ok(asked <= 6, `asked ${asked} times in 20 s`);
  assert.ok(asked >= 1, 'but it is still asked again');
  assert.equal((await getCanary(cluster, namespace, 'podinfo')).status?.phase ?? 'Initializing', 'Initializing');
});
