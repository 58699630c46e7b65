// The watch cache against the real API server, including the API server dying under it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Informer, type InformerEvent } from '../../src/kube/informer.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CANARIES, CONFIG_MAPS, SECRETS } from '../../src/kube/resource-types.ts';
import { RELEASES_SECRET_TYPE } from '../../src/workload/release-store.ts';
import { createLogger } from '../../src/log.ts';
import { invalidCanary } from '../helpers/canary-fixtures.ts';
import { freshNamespace, killComponent, restartStoppedComponents, useCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { metricValue } from '../helpers/metrics.ts';
import { OperatorProcess } from '../helpers/operator-process.ts';

const quiet = createLogger('silent');

const secret = (name: string, namespace: string, type: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace },
  type,
  data: { value: Buffer.from(name).toString('base64') },
});

const configMap = (name: string, namespace: string, value: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels: { owner: 'informer-test' } },
  data: { value },
});

test('an informer sees creates, updates and deletes, and its cache matches the cluster', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  await cluster.client.create(CONFIG_MAPS, configMap('before', namespace, '0'));
  const informer = new Informer<KubeObject & { data?: Record<string, string> }>(cluster.client, CONFIG_MAPS, quiet, {
    namespace,
    labelSelector: 'owner=informer-test',
  });
  const events: InformerEvent<KubeObject>[] = [];
  informer.on((event) => events.push(event));
  informer.start();
  t.after(() => informer.stop());
  await informer.waitForSync();
  assert.equal(informer.get(`${namespace}/before`)?.data?.value, '0');

  await cluster.client.create(CONFIG_MAPS, configMap('during', namespace, '1'));
  await cluster.client.apply(CONFIG_MAPS, configMap('during', namespace, '2'));
  await cluster.client.delete(CONFIG_MAPS, namespace, 'before');
  await eventually('the delete to arrive', () => events.some((event) => event.type === 'deleted'));

  const seen = events.map((event) => `${event.type} ${event.object.metadata?.name}`);
  assert.deepEqual(seen, ['added before', 'added during', 'updated during', 'deleted before']);
  assert.equal(informer.get(`${namespace}/during`)?.data?.value, '2');
  assert.equal(informer.get(`${namespace}/before`), undefined);
  assert.equal(informer.list().length, 1);
  assert.ok(!('managedFields' in (informer.get(`${namespace}/during`)?.metadata ?? {})), 'cached objects drop managedFields');
  assert.deepEqual(informer.footprint, {
    objects: 1,
    jsonBytes: JSON.stringify(informer.get(`${namespace}/during`)).length,
  });
});

test("the operator exports what each watch cache holds: objects and their JSON bytes by resource, the primaries' and Helm's release Secrets left out", async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  for (const name of ['one', 'two', 'three']) await cluster.client.create(CONFIG_MAPS, configMap(name, namespace, name));
  await cluster.client.create(SECRETS, secret('app-credentials', namespace, 'Opaque'));
  await cluster.client.create(SECRETS, secret('app-primary-releases', namespace, RELEASES_SECRET_TYPE));
  await cluster.client.create(SECRETS, secret('sh.helm.release.v1.app.v1', namespace, 'helm.sh/release.v1'));
  const operator = new OperatorProcess(cluster.kubeconfigPath, ['--watch-namespace', namespace, '--lease-namespace', namespace]);
  t.after(() => operator.stop());
  await operator.waitForLog('the operator to start reconciling', (line) => line.msg === 'reconciling');
  const exposition = (await operator.get('/metrics')).body;
  // kube-root-ca.crt is in every namespace, so the cache holds it too.
  assert.equal(metricValue(exposition, 'wren_cache_objects', { resource: 'configmaps' }), 4);
  assert.ok(metricValue(exposition, 'wren_cache_json_bytes', { resource: 'configmaps' }) > 0);
  assert.equal(metricValue(exposition, 'wren_cache_objects', { resource: 'canaries.wren.dev' }), 0);
  assert.equal(
    metricValue(exposition, 'wren_cache_objects', { resource: 'secrets' }),
    1,
    'only the Opaque Secret is cached, neither release record',
  );
});

test('after kube-apiserver is killed and restarted, watches resume and the operator keeps reconciling', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const informer = new Informer(cluster.client, CONFIG_MAPS, quiet, { namespace, backoff: { baseMs: 100, maxMs: 1000, jitter: 0 } });
  informer.start();
  t.after(() => informer.stop());
  await informer.waitForSync();
  const operator = new OperatorProcess(cluster.kubeconfigPath, ['--watch-namespace', namespace, '--lease-namespace', namespace]);
  t.after(() => operator.stop());
  await operator.waitForLog('the operator to start reconciling', (line) => line.msg === 'reconciling');

  await killComponent('kube-apiserver');
  try {
    await operator.waitForLog('the operator to notice', (line) => line.msg === 'watch failed; resuming');
  } finally {
    await restartStoppedComponents(cluster);
  }

  await cluster.client.create(CONFIG_MAPS, configMap('after-restart', namespace, 'x'));
  await eventually('the informer to see an object created after the restart', () => informer.get(`${namespace}/after-restart`));
  assert.ok(informer.stats.restarts >= 1, 'the informer re-established its watch');

  await cluster.client.create(CANARIES, invalidCanary('after-restart', namespace));
  const reason = await eventually(
    'the operator to reconcile a Canary created after the restart',
    async () => {
      const canary = await cluster.client.get<KubeObject & { status?: { conditions?: { reason: string }[] } }>(
        CANARIES,
        namespace,
        'after-restart',
      );
      return canary.status?.conditions?.[0]?.reason;
    },
    { timeoutMs: 90_000 },
  );
  assert.equal(reason, 'InvalidSpec');
  assert.ok(operator.running);
});
