// Objects the schema accepts but that cannot work get Ready=False/InvalidSpec with a message naming
// the field, and a Warning event; the operator keeps serving every other object.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Condition } from '../../src/api/conditions.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import {
  ALERT_PROVIDERS,
  CANARIES,
  DEPLOYMENTS,
  EVENTS,
  GIT_SYNCS,
  METRIC_TEMPLATES,
  type ResourceType,
} from '../../src/kube/resource-types.ts';
import { appDeployment } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { metricValue } from '../helpers/metrics.ts';
import { operatorFor } from '../helpers/operator-process.ts';

type WithStatus = KubeObject & { status?: { conditions?: Condition[] } };

const canary = (name: string, analysis: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'Canary',
  metadata: { name },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' },
    service: { port: 80 },
    analysis: { interval: '1m', threshold: 5, ...analysis },
    ...extra,
  },
});

const invalidObjects: { type: ResourceType; object: KubeObject; field: string }[] = [
  { type: CANARIES, object: canary('step-too-big', { stepWeight: 60, maxWeight: 50 }), field: 'spec.analysis.stepWeight' },
  { type: CANARIES, object: canary('two-schedules', { stepWeight: 10, stepWeights: [10, 20] }), field: 'spec.analysis.stepWeights' },
  { type: CANARIES, object: canary('odd-provider', { stepWeight: 10 }, { provider: 'appmesh' }), field: 'spec.provider' },
  {
    type: CANARIES,
    object: canary('unknown-metric', { stepWeight: 10, metrics: [{ name: 'error-budget', thresholdRange: { max: 1 } }] }),
    field: 'spec.analysis.metrics[0].templateRef',
  },
  {
    type: METRIC_TEMPLATES,
    object: {
      apiVersion: 'wren.dev/v1alpha1',
      kind: 'MetricTemplate',
      metadata: { name: 'no-query' },
      spec: { provider: { type: 'prometheus', address: 'http://prometheus:9090' } },
    },
    field: 'spec.query',
  },
  {
    type: ALERT_PROVIDERS,
    object: { apiVersion: 'wren.dev/v1alpha1', kind: 'AlertProvider', metadata: { name: 'nowhere' }, spec: { type: 'slack' } },
    field: 'spec.secretRef',
  },
  {
    type: GIT_SYNCS,
    object: {
      apiVersion: 'wren.dev/v1alpha1',
      kind: 'GitSync',
      metadata: { name: 'two-refs' },
      spec: { url: 'https://git.example.com/app.git', ref: { branch: 'main', tag: 'v1.0.0' } },
    },
    field: 'spec.ref',
  },
];

function readyOf(object: WithStatus): Condition | undefined {
  return object.status?.conditions?.find((condition) => condition.type === 'Ready');
}

const startOperator = (t: { after(fn: () => Promise<unknown>): void }, cluster: TestCluster, namespace: string) =>
  operatorFor(t, cluster.kubeconfigPath, namespace);

test('semantically invalid objects get Ready=False/InvalidSpec naming the field, and an event', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const operator = startOperator(t, cluster, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('app', namespace, 'ghcr.io/example/app:1'));
  for (const { type, object } of invalidObjects) {
    await cluster.client.create(type, { ...object, metadata: { ...object.metadata, namespace } });
  }
  const good = await cluster.client.create(CANARIES, { ...canary('good', { iterations: 5 }), metadata: { name: 'good', namespace } });

  for (const { type, object, field } of invalidObjects) {
    const name = object.metadata?.name as string;
    const ready = await eventually(`${type.kind} ${name} to be reported`, async () =>
      readyOf(await cluster.client.get<WithStatus>(type, namespace, name)),
    );
    assert.equal(ready.status, 'False', `${name}: Ready`);
    assert.equal(ready.reason, 'InvalidSpec', `${name}: reason`);
    assert.ok(ready.message?.includes(field), `${name}: message "${ready.message}" should name ${field}`);
    const events = await eventually(`an InvalidSpec event for ${name}`, async () => {
      const list = await cluster.client.list(EVENTS, namespace, { fieldSelector: `involvedObject.name=${name}` });
      const matching = list.items.filter((event) => event.reason === 'InvalidSpec');
      return matching.length > 0 ? matching : undefined;
    });
    assert.equal(events[0]?.type, 'Warning');
    assert.ok(String(events[0]?.message).includes(field));
  }

  const goodReady = await eventually('the valid Canary to be accepted', async () =>
    readyOf(await cluster.client.get<WithStatus>(CANARIES, namespace, good.metadata?.name as string)),
  );
  assert.equal(goodReady.status, 'True');
  assert.ok(operator.running, 'the operator is still running');
});

test('fixing an invalid Canary clears InvalidSpec', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  startOperator(t, cluster, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('app', namespace, 'ghcr.io/example/app:1'));
  const broken = canary('fixable', { stepWeight: 60, maxWeight: 50 });
  await cluster.kubectl(['apply', '-n', namespace, '-f', '-'], JSON.stringify(broken));
  await eventually(
    'InvalidSpec',
    async () => readyOf(await cluster.client.get<WithStatus>(CANARIES, namespace, 'fixable'))?.reason === 'InvalidSpec',
  );

  const fixed = canary('fixable', { iterations: 5 });
  await cluster.kubectl(['apply', '-n', namespace, '-f', '-'], JSON.stringify(fixed));
  const ready = await eventually('the fixed spec to be accepted', async () => {
    const condition = readyOf(await cluster.client.get<WithStatus>(CANARIES, namespace, 'fixable'));
    return condition?.status === 'True' ? condition : undefined;
  });
  assert.equal(ready.observedGeneration, 2);
  const events = await cluster.client.list(EVENTS, namespace, { fieldSelector: 'involvedObject.name=fixable' });
  assert.ok(events.items.some((event) => event.reason === 'SpecValid' && event.type === 'Normal'));
});

test('a restarted operator re-checks every object without writing anything that did not change', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const first = startOperator(t, cluster, namespace);
  const names = ['a', 'b', 'c'];
  for (const [index, name] of names.entries()) {
    const analysis = index === 0 ? { stepWeight: 60, maxWeight: 50 } : { iterations: 3 };
    await cluster.client.create(CANARIES, { ...canary(name, analysis), metadata: { name, namespace } });
  }
  const reported = async () => {
    const versions: Record<string, string> = {};
    for (const name of names) {
      const object = await cluster.client.get<WithStatus>(CANARIES, namespace, name);
      if (!readyOf(object)) return undefined;
      versions[name] = object.metadata?.resourceVersion as string;
    }
    return versions;
  };
  const before = await eventually('all Canaries reported', reported);
  await first.stop();

  const second = startOperator(t, cluster, namespace);
  await eventually('the new operator to reconcile all Canaries', async () => {
    const metrics = (await second.get('/metrics')).body;
    return metricValue(metrics, 'wren_reconcile_total', { kind: 'Canary', result: 'success' }) >= names.length;
  });
  const metrics = (await second.get('/metrics')).body;
  assert.equal(metricValue(metrics, 'wren_kube_api_requests_total', { verb: 'PATCH', resource: 'canaries' }), 0);
  assert.deepEqual(await reported(), before);
});
