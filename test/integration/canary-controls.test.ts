// What users do to a running canary: suspend it, drive it from the CLI, delete it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CANARIES, DEPLOYMENTS, HORIZONTAL_POD_AUTOSCALERS, SERVICES } from '../../src/kube/resource-types.ts';
import { isNotFound } from '../../src/kube/api-error.ts';
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
import { operatorFor } from '../helpers/operator-process.ts';
import { WebhookServer } from '../helpers/webhook-server.ts';

const V1 = 'ghcr.io/example/podinfo:1.0.0';
const V2 = 'ghcr.io/example/podinfo:2.0.0';
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Runs the wren CLI asynchronously (the test's own webhook server must keep answering meanwhile), with its exit code. */
async function wrenExit(cluster: TestCluster, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [MAIN, ...args, '--kubeconfig', cluster.kubeconfigPath], {
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function wren(cluster: TestCluster, ...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await wrenExit(cluster, ...args);
  if (code !== 0) throw new Error(`wren ${args.join(' ')} exited ${code}: ${stderr}`);
  return stdout;
}

test('suspend freezes a run; clearing it lets the run finish', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(CANARIES, canaryFor('podinfo', namespace, { iterations: 2 }));
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await cluster.client.mergePatch(CANARIES, namespace, 'podinfo', { spec: { suspend: true } });
  await eventually('the operator to acknowledge the suspension', async () =>
    /suspended/.test((await getCanary(cluster, namespace, 'podinfo')).status?.message ?? ''),
  );
  await setImage(cluster, namespace, 'podinfo', V2);
  // Give a wrongly running engine several intervals to show itself.
  await sleep(4000);
  const frozen = await getCanary(cluster, namespace, 'podinfo');
  assert.equal(frozen.status?.phase, 'Initialized');
  assert.equal((await getDeployment(cluster, namespace, 'podinfo')).spec?.replicas, 0, 'the target was not scaled up');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V1);

  await cluster.client.mergePatch(CANARIES, namespace, 'podinfo', { spec: { suspend: false } });
  await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2);
});

test('wren promote continues past a pause; wren status shows the run; --until-done gives up at its --timeout with exit 2, then sees the promotion', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(
    CANARIES,
    canaryFor('podinfo', namespace, { iterations: undefined, steps: [{ setWeight: 0 }, { pause: {} }, { setWeight: 0 }] }),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', V2);
  await eventually('the run to pause', async () =>
    /wren promote/.test((await getCanary(cluster, namespace, 'podinfo')).status?.message ?? ''),
  );
  const status = await wren(cluster, 'status', 'podinfo', '-n', namespace);
  assert.match(status, /Phase:\s+Progressing/);
  assert.match(status, /step 2 of 3/);
  assert.match(status, /NewRevision/);
  const list = await wren(cluster, 'status', '-n', namespace);
  assert.match(list, /^podinfo\s+Progressing\s+0%\s+2\/3/m);
  const paused = await wrenExit(cluster, 'status', 'podinfo', '-n', namespace, '--until-done', '--timeout', '2s');
  assert.equal(paused.code, 2, 'a release held at a pause has no verdict within the timeout');
  assert.match(paused.stderr, /no verdict within 2000 ms/);

  const promoted = await wren(cluster, 'promote', 'podinfo', '-n', namespace);
  assert.match(promoted, /requested promote of canary/);
  await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2);
  const done = await wrenExit(cluster, 'status', 'podinfo', '-n', namespace, '--until-done', '--timeout', '60s');
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, /release succeeded/);
});

test('wren abort rolls back now; wren retry runs the same revision again', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const hooks = await new WebhookServer().start(t);
  hooks.answer('/gate', 403);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(
    CANARIES,
    canaryFor('podinfo', namespace, {
      iterations: 1,
      webhooks: [{ name: 'approval', type: 'confirm-promotion', url: hooks.url('/gate') }],
    }),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', V2);
  await waitForPhase(cluster, namespace, 'podinfo', 'WaitingPromotion');

  const aborted = await wren(cluster, 'abort', 'podinfo', '-n', namespace);
  assert.match(aborted, /^Failed: aborted/m);
  const failed = await getCanary(cluster, namespace, 'podinfo');
  assert.equal(failed.status?.reason, 'Aborted');
  await eventually(
    'the target to be scaled to zero',
    async () => (await getDeployment(cluster, namespace, 'podinfo')).spec?.replicas === 0,
  );
  assert.deepEqual(await apexSelector(cluster, namespace, 'podinfo'), { app: 'podinfo-primary' });

  hooks.answer('/gate', 200);
  const retried = await wren(cluster, 'retry', 'podinfo', '-n', namespace);
  // The run may already be further along when the CLI reads it back; it must no longer be Failed.
  assert.match(retried, /^requested retry of canary/m);
  assert.match(retried, /^(Progressing|WaitingPromotion|Promoting|Finalising|Succeeded): /m);
  const succeeded = await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded');
  assert.equal(succeeded.status?.lastPromotedSpec, failed.status?.lastAppliedSpec, 'the same revision, unchanged');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2);
});

test('the target HPA is cloned for the primary', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(HORIZONTAL_POD_AUTOSCALERS, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'podinfo', namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    },
  });
  await cluster.client.create(
    CANARIES,
    canaryFor(
      'podinfo',
      namespace,
      {},
      {
        autoscalerRef: {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          name: 'podinfo',
          primaryScalerReplicas: { maxReplicas: 6 },
        },
      },
    ),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  const hpa = await cluster.client.get<
    KubeObject & { spec?: { scaleTargetRef: { name: string }; minReplicas: number; maxReplicas: number } }
  >(HORIZONTAL_POD_AUTOSCALERS, namespace, 'podinfo-primary');
  assert.equal(hpa.spec?.scaleTargetRef.name, 'podinfo-primary');
  assert.equal(hpa.spec?.minReplicas, 2);
  assert.equal(hpa.spec?.maxReplicas, 6);
});

async function isGone(cluster: TestCluster, type: typeof DEPLOYMENTS, namespace: string, name: string): Promise<boolean> {
  return cluster.client.get(type, namespace, name).then(
    () => false,
    (error: unknown) => isNotFound(error),
  );
}

test('revertOnDeletion: deleting the Canary restores the target and keeps the app reachable', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(CANARIES, canaryFor('podinfo', namespace, {}, { revertOnDeletion: true }));
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await eventually('the target at zero', async () => (await getDeployment(cluster, namespace, 'podinfo')).spec?.replicas === 0);

  await cluster.client.delete(CANARIES, namespace, 'podinfo');
  await eventually('the Canary to be gone', () => isGone(cluster, CANARIES, namespace, 'podinfo'));
  const target = await getDeployment(cluster, namespace, 'podinfo');
  assert.equal(target.spec?.replicas, 2);
  assert.equal(target.status?.readyReplicas, 2, 'the target serves before the primary goes');
  assert.deepEqual(await apexSelector(cluster, namespace, 'podinfo'), { app: 'podinfo' }, 'the apex Service now selects the target');
  const apex = await cluster.client.get<KubeObject>(SERVICES, namespace, 'podinfo');
  assert.deepEqual(apex.metadata?.ownerReferences ?? [], [], 'the apex Service is no longer owned by the deleted Canary');
  await eventually('the primary to be garbage-collected', () => isGone(cluster, DEPLOYMENTS, namespace, 'podinfo-primary'));
  assert.equal((await getDeployment(cluster, namespace, 'podinfo')).status?.readyReplicas, 2);
});

test('deleting a Canary without revertOnDeletion still never leaves the app without pods', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(CANARIES, canaryFor('podinfo', namespace, {}));
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await eventually('the target at zero', async () => (await getDeployment(cluster, namespace, 'podinfo')).spec?.replicas === 0);
  await cluster.client.delete(CANARIES, namespace, 'podinfo');
  await eventually('the Canary to be gone', () => isGone(cluster, CANARIES, namespace, 'podinfo'));
  const target = await getDeployment(cluster, namespace, 'podinfo');
  assert.equal(target.status?.readyReplicas, 2);
  await eventually('the primary to be garbage-collected', () => isGone(cluster, DEPLOYMENTS, namespace, 'podinfo-primary'));
});
