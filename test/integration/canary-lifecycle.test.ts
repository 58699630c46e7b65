// The canary engine end to end on the real control plane: KWOK runs the pods, the deployment
// controller reports readiness, a loopback HTTP server plays the load tester.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { KubeObject } from '../../src/kube/objects.ts';
import type { Deployment } from '../../src/workload/workload-types.ts';
import { CANARIES, DEPLOYMENTS, EVENTS, SERVICES } from '../../src/kube/resource-types.ts';
import {
  apexSelector,
  appDeployment,
  canaryFor,
  getCanary,
  getDeployment,
  imageOf,
  setImage,
  waitForPhase,
} from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { metricValue } from '../helpers/metrics.ts';
import { operatorFor } from '../helpers/operator-process.ts';
import { WebhookServer } from '../helpers/webhook-server.ts';

const V1 = 'ghcr.io/example/podinfo:1.0.0';
const V2 = 'ghcr.io/example/podinfo:2.0.0';
const V3 = 'ghcr.io/example/podinfo:3.0.0';

async function eventReasons(cluster: Awaited<ReturnType<typeof useCluster>>, namespace: string, name: string): Promise<string[]> {
  const events = await cluster.client.list(EVENTS, namespace, { fieldSelector: `involvedObject.kind=Canary,involvedObject.name=${name}` });
  return events.items.map((event) => String(event.reason));
}

test('initialization: primary, Services and owner references; the target is scaled to zero', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  const canary = await cluster.client.create(CANARIES, canaryFor('podinfo', namespace, {}));

  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  const primary = await getDeployment(cluster, namespace, 'podinfo-primary');
  assert.equal(imageOf(primary), V1);
  assert.deepEqual(primary.spec?.selector?.matchLabels, { app: 'podinfo-primary' });
  assert.equal(primary.spec?.template?.metadata?.labels?.app, 'podinfo-primary');
  assert.equal(primary.status?.readyReplicas, 2);
  assert.equal(primary.metadata?.ownerReferences?.[0]?.uid, canary.metadata?.uid);
  for (const [service, selector] of [
    ['podinfo', 'podinfo-primary'],
    ['podinfo-primary', 'podinfo-primary'],
    ['podinfo-canary', 'podinfo'],
  ] as const) {
    assert.deepEqual(await apexSelector(cluster, namespace, service), { app: selector }, `${service} selects ${selector}`);
    const object = await cluster.client.get<KubeObject>(SERVICES, namespace, service);
    assert.equal(object.metadata?.ownerReferences?.[0]?.kind, 'Canary');
  }
  const target = await eventually('the target to be scaled to zero', async () => {
    const deployment = await getDeployment(cluster, namespace, 'podinfo');
    return deployment.spec?.replicas === 0 ? deployment : undefined;
  });
  assert.equal(imageOf(target), V1);
  assert.ok((await eventReasons(cluster, namespace, 'podinfo')).includes('Initialized'));
});

test('a new revision is analysed and promoted; traffic stays on ready pods throughout', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const hooks = await new WebhookServer().start(t);
  const operator = operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(
    CANARIES,
    canaryFor('podinfo', namespace, {
      iterations: 3,
      webhooks: [{ name: 'load-test', url: hooks.url('/check'), metadata: { cmd: 'hey' } }],
    }),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');

  const selectors = new Set<string>();
  const watching = setInterval(() => {
    apexSelector(cluster, namespace, 'podinfo').then(
      (selector) => selectors.add(String(selector?.app)),
      () => undefined,
    );
  }, 100);
  t.after(() => clearInterval(watching));
  await setImage(cluster, namespace, 'podinfo', V2);
  const progressing = await waitForPhase(cluster, namespace, 'podinfo', 'Progressing');
  assert.equal(progressing.status?.reason, 'NewRevision');
  const succeeded = await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded');
  clearInterval(watching);

  assert.equal(succeeded.status?.iterations, 3);
  assert.equal(succeeded.status?.lastPromotedSpec, succeeded.status?.lastAppliedSpec);
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2);
  assert.equal((await getDeployment(cluster, namespace, 'podinfo')).spec?.replicas, 0);
  assert.deepEqual(await apexSelector(cluster, namespace, 'podinfo'), { app: 'podinfo-primary' });
  assert.ok(selectors.has('podinfo'), 'during promotion the apex Service served from the canary pods');

  const calls = hooks.callsTo('/check');
  assert.equal(calls.length, 3, 'one rollout check per iteration');
  assert.deepEqual(Object.keys(calls[0]?.body ?? {}).sort(), ['checksum', 'metadata', 'name', 'namespace', 'phase']);
  assert.equal(calls[0]?.body.name, 'podinfo');
  assert.equal(calls[0]?.body.phase, 'Progressing');
  assert.deepEqual(calls[0]?.body.metadata, { cmd: 'hey' });
  const reasons = await eventReasons(cluster, namespace, 'podinfo');
  for (const reason of ['NewRevision', 'AnalysisPassed', 'Finalising', 'Succeeded']) assert.ok(reasons.includes(reason), reason);

  const metrics = (await operator.get('/metrics')).body;
  const labels = { name: 'podinfo', namespace };
  assert.equal(metricValue(metrics, 'wren_canary_successes_total', labels), 1);
  assert.equal(metricValue(metrics, 'wren_canary_status', labels), 1);
  assert.equal(metricValue(metrics, 'wren_canary_weight', labels), 0);
  assert.equal(metricValue(metrics, 'wren_canary_duration_seconds_count', labels), 1);
  assert.equal(metricValue(metrics, 'wren_canary_total', { namespace }), 1);
});

test('failed checks reaching the threshold roll back: all traffic to the primary, target to zero', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const hooks = await new WebhookServer().start(t);
  hooks.answer('/check', 500);
  const operator = operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(
    CANARIES,
    canaryFor('podinfo', namespace, { iterations: 10, threshold: 3, webhooks: [{ name: 'load-test', url: hooks.url('/check') }] }),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', V2);
  const failed = await waitForPhase(cluster, namespace, 'podinfo', 'Failed');
  assert.equal(failed.status?.reason, 'FailedChecks');
  assert.equal(failed.status?.failedChecks, 3);
  assert.match(failed.status?.message ?? '', /load-test: HTTP 500/);
  assert.equal(failed.status?.checks?.[0]?.passed, false);
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V1, 'the failed revision never reached the primary');
  await eventually(
    'the target to be scaled to zero',
    async () => (await getDeployment(cluster, namespace, 'podinfo')).spec?.replicas === 0,
  );
  assert.deepEqual(await apexSelector(cluster, namespace, 'podinfo'), { app: 'podinfo-primary' });
  const events = await cluster.client.list(EVENTS, namespace, { fieldSelector: 'involvedObject.name=podinfo,reason=FailedChecks' });
  assert.equal(events.items[0]?.type, 'Warning');
  const metrics = (await operator.get('/metrics')).body;
  assert.equal(metricValue(metrics, 'wren_canary_failures_total', { name: 'podinfo', reason: 'FailedChecks' }), 1);
  assert.equal(metricValue(metrics, 'wren_canary_status', { name: 'podinfo' }), 2);
});

/** Room for the primary's 2 pods and the canary's 2, but not for the extra pod a rolling update of
 * the primary needs: a promotion gets stuck exactly as it would on a full cluster. */
async function capPodsAt4(cluster: TestCluster, namespace: string): Promise<void> {
  await cluster.kubectl(['create', 'quota', 'pods', '-n', namespace, '--hard=pods=4']);
  await eventually('the quota to be counted', async () => {
    const quota = await cluster.kubectl(['get', 'quota', 'pods', '-n', namespace, '-o', 'jsonpath={.status.used.pods}']);
    return quota.trim() !== '';
  });
}

/**
 * V1 initialized, then V2 released into a namespace whose pod quota leaves no room for the primary's
 * rolling update: its promotion gets stuck, and fails after `deadlineSeconds`.
 */
async function releaseIntoFullNamespace(t: TestContext, deadlineSeconds: number) {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(CANARIES, canaryFor('podinfo', namespace, { iterations: 1 }, { progressDeadlineSeconds: deadlineSeconds }));
  const initialized = await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await capPodsAt4(cluster, namespace);
  await setImage(cluster, namespace, 'podinfo', V2);
  return { cluster, namespace, initialized };
}

/** The primary's image once its rollout of that image is complete and every pod is ready. */
async function primaryRolledOutTo(cluster: TestCluster, namespace: string, image: string): Promise<Deployment> {
  return eventually(`podinfo-primary to run ${image} on every pod`, async () => {
    const primary = await getDeployment(cluster, namespace, 'podinfo-primary');
    const status = primary.status ?? {};
    const done =
      imageOf(primary) === image &&
      (status.observedGeneration ?? 0) >= (primary.metadata?.generation ?? 0) &&
      status.updatedReplicas === primary.spec?.replicas &&
      status.replicas === primary.spec?.replicas &&
      status.readyReplicas === primary.spec?.replicas;
    return done ? primary : undefined;
  });
}

test('a promotion that misses its deadline is undone: the primary goes back to the last promoted image, users keep ready pods', async (t) => {
  const { cluster, namespace, initialized } = await releaseIntoFullNamespace(t, 5);
  await waitForPhase(cluster, namespace, 'podinfo', 'Promoting');
  await eventually(
    'the promotion to reach the primary',
    async () => imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')) === V2,
  );
  const failed = await waitForPhase(cluster, namespace, 'podinfo', 'Failed');
  assert.equal(failed.status?.reason, 'PrimaryDeadlineExceeded');
  assert.equal(failed.status?.lastPromotedSpec, initialized.status?.lastPromotedSpec, 'lastPromotedSpec still names V1');
  const target = await getDeployment(cluster, namespace, 'podinfo');
  const primary = await getDeployment(cluster, namespace, 'podinfo-primary');
  const selector = await apexSelector(cluster, namespace, 'podinfo');
  const servedBy = selector?.app === 'podinfo' ? target : primary;
  assert.ok((servedBy.status?.readyReplicas ?? 0) > 0, `the apex Service (${selector?.app}) selects ready pods`);

  await primaryRolledOutTo(cluster, namespace, V1);
  await eventually('the target to go back to zero once the primary is whole', async () => {
    return (await getDeployment(cluster, namespace, 'podinfo')).spec?.replicas === 0;
  });
  assert.deepEqual(await apexSelector(cluster, namespace, 'podinfo'), { app: 'podinfo-primary' });
  // With the quota gone nothing holds the failed revision back any more: it must not come back.
  await cluster.kubectl(['delete', 'quota', 'pods', '-n', namespace]);
  await cluster.kubectl(['scale', 'deployment', 'podinfo-primary', '-n', namespace, '--replicas=3']);
  const settled = await primaryRolledOutTo(cluster, namespace, V1);
  assert.equal(settled.status?.replicas, 3);
  assert.equal((await getCanary(cluster, namespace, 'podinfo')).status?.phase, 'Failed');
});

test('a revision that arrives during a stuck promotion takes the half-promoted one off the primary, then is promoted', async (t) => {
  const { cluster, namespace } = await releaseIntoFullNamespace(t, 600);
  await waitForPhase(cluster, namespace, 'podinfo', 'Promoting');
  await eventually(
    'the promotion to reach the primary',
    async () => imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')) === V2,
  );

  await setImage(cluster, namespace, 'podinfo', V3);
  await eventually('the run to restart', async () => (await getCanary(cluster, namespace, 'podinfo')).status?.reason === 'RevisionChanged');
  await primaryRolledOutTo(cluster, namespace, V1);
  await cluster.kubectl(['delete', 'quota', 'pods', '-n', namespace]);
  const succeeded = await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded');
  await primaryRolledOutTo(cluster, namespace, V3);
  assert.equal(succeeded.status?.lastPromotedSpec, succeeded.status?.lastAppliedSpec);
});

test('reverting the target after a failed promotion: nothing to release, the primary runs the last promoted image', async (t) => {
  const { cluster, namespace, initialized } = await releaseIntoFullNamespace(t, 5);
  await waitForPhase(cluster, namespace, 'podinfo', 'Failed');
  await cluster.kubectl(['delete', 'quota', 'pods', '-n', namespace]);
  await setImage(cluster, namespace, 'podinfo', V1);
  const reverted = await eventually('the revert to be seen', async () => {
    const canary = await getCanary(cluster, namespace, 'podinfo');
    return canary.status?.reason === 'RevertedToPrimary' ? canary : undefined;
  });
  assert.equal(reverted.status?.phase, 'Initialized');
  assert.equal(reverted.status?.lastPromotedSpec, initialized.status?.lastPromotedSpec);
  await primaryRolledOutTo(cluster, namespace, V1);
});

test('a canary whose pods never become ready is rolled back at the progress deadline', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(CANARIES, canaryFor('podinfo', namespace, { iterations: 2 }, { progressDeadlineSeconds: 4 }));
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  // The new revision asks for a node that does not exist: its pods stay Pending.
  await cluster.client.request({
    method: 'PATCH',
    path: `/apis/apps/v1/namespaces/${namespace}/deployments/podinfo`,
    headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
    body: JSON.stringify({ spec: { template: { spec: { nodeSelector: { 'wren.dev/no-such-node': 'true' } } } } }),
  });
  const failed = await waitForPhase(cluster, namespace, 'podinfo', 'Failed');
  assert.equal(failed.status?.reason, 'ProgressDeadlineExceeded');
  assert.deepEqual(await apexSelector(cluster, namespace, 'podinfo'), { app: 'podinfo-primary' });
  const primary = await getDeployment(cluster, namespace, 'podinfo-primary');
  assert.equal(primary.spec?.template?.spec?.nodeSelector, undefined, 'the primary keeps the working revision');
  assert.equal(primary.status?.readyReplicas, 2);
});

test('a revision that arrives mid-analysis restarts it, and the newest revision is promoted', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const hooks = await new WebhookServer().start(t);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(
    CANARIES,
    canaryFor('podinfo', namespace, { iterations: 4, interval: '2s', webhooks: [{ name: 'load-test', url: hooks.url('/check') }] }),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', V2);
  const first = await eventually('a first check of revision 2', async () => {
    const canary = await getCanary(cluster, namespace, 'podinfo');
    return (canary.status?.iterations ?? 0) >= 1 ? canary : undefined;
  });
  await setImage(cluster, namespace, 'podinfo', V3);
  const restarted = await eventually('the run to restart', async () => {
    const canary = await getCanary(cluster, namespace, 'podinfo');
    return canary.status?.reason === 'RevisionChanged' ? canary : undefined;
  });
  assert.notEqual(restarted.status?.lastAppliedSpec, first.status?.lastAppliedSpec);
  const succeeded = await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded');
  assert.equal(succeeded.status?.lastPromotedSpec, restarted.status?.lastAppliedSpec);
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V3);
});

test('a change to a tracked ConfigMap releases as a canary; the primary reads its own copy', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const hooks = await new WebhookServer().start(t);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.kubectl(['create', 'configmap', 'podinfo-config', '-n', namespace, '--from-literal=greeting=hello']);
  const volumes = { volumes: [{ name: 'config', configMap: { name: 'podinfo-config' } }] };
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1, volumes));
  await cluster.client.create(
    CANARIES,
    canaryFor('podinfo', namespace, { iterations: 1, webhooks: [{ name: 'load-test', url: hooks.url('/check') }] }),
  );
  const initialized = await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  assert.ok(initialized.status?.trackedConfigs?.['configmap/podinfo-config']);
  const primary = await getDeployment(cluster, namespace, 'podinfo-primary');
  assert.deepEqual(primary.spec?.template?.spec?.volumes, [
    { name: 'config', configMap: { name: 'podinfo-config-primary', defaultMode: 420 } },
  ]);
  const copy = await cluster.client.get<KubeObject & { data?: Record<string, string> }>(
    { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
    namespace,
    'podinfo-config-primary',
  );
  assert.deepEqual(copy.data, { greeting: 'hello' });

  await cluster
    .kubectl([
      'create',
      'configmap',
      'podinfo-config',
      '-n',
      namespace,
      '--from-literal=greeting=bonjour',
      '--dry-run=client',
      '-o',
      'yaml',
    ])
    .then((yaml) => cluster.kubectl(['apply', '-n', namespace, '-f', '-'], yaml));
  // The run may pass through Progressing faster than a poll: its analysis calls and Events prove it ran.
  const succeeded = await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded');
  const checks = hooks.callsTo('/check');
  assert.ok(checks.length >= 1, 'the new revision was analysed as a canary');
  assert.equal(checks[0]?.body.phase, 'Progressing');
  assert.ok((await eventReasons(cluster, namespace, 'podinfo')).includes('NewRevision'));
  assert.notEqual(
    succeeded.status?.trackedConfigs?.['configmap/podinfo-config'],
    initialized.status?.trackedConfigs?.['configmap/podinfo-config'],
  );
  const promotedCopy = await cluster.client.get<KubeObject & { data?: Record<string, string> }>(
    { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
    namespace,
    'podinfo-config-primary',
  );
  assert.deepEqual(promotedCopy.data, { greeting: 'bonjour' });
});

test('skipAnalysis promotes without running the checks', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const hooks = await new WebhookServer().start(t);
  hooks.answer('/check', 500);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(
    CANARIES,
    canaryFor('podinfo', namespace, { iterations: 5, webhooks: [{ name: 'load-test', url: hooks.url('/check') }] }, { skipAnalysis: true }),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', V2);
  await eventually('the promotion', async () => imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')) === V2);
  await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded');
  assert.equal(hooks.callsTo('/check').length, 0);
  assert.ok((await eventReasons(cluster, namespace, 'podinfo')).includes('AnalysisSkipped'));
});
