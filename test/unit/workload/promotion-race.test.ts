// A tracked ConfigMap edited between the moment the controller observed it (watch cache) and the
// moment it reads it to copy it to the primary. Driven deterministically with an in-memory fake API
// (cache and server disagree on purpose): the primary must never be given content whose checksum
// the Canary's status does not record.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary } from '../../../src/api/canary.ts';
import { KubeApiError } from '../../../src/kube/api-error.ts';
import { RecentApplies } from '../../../src/kube/apply-if-changed.ts';
import type { KubeClient } from '../../../src/kube/client.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import type { ResourceType } from '../../../src/kube/resource-types.ts';
import type { CanaryCaches } from '../../../src/workload/caches.ts';
import { dataChecksumOnly, type ConfigObject } from '../../../src/workload/config-copies.ts';
import { REVISION_ANNOTATION } from '../../../src/workload/owner.ts';
import { decodeRelease } from '../../../src/workload/primary-release.ts';
import { targetRevision } from '../../../src/workload/revision.ts';
import { WorkloadApplier } from '../../../src/workload/workload-applier.ts';
import type { Deployment } from '../../../src/workload/workload-types.ts';

const canary = {
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'Canary',
  metadata: { name: 'web', namespace: 'shop', uid: 'u1' },
  spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, service: { port: 80 }, analysis: { iterations: 1 } },
} as Canary;
const target: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'web:1' }], volumes: [{ name: 'c', configMap: { name: 'web-config' } }] },
    },
  },
};
const configMap = (greeting: string): ConfigObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'web-config', namespace: 'shop' },
  data: { greeting },
});

/** The API server as the test wants it: objects by "plural/namespace/name", and every apply recorded. */
class FakeApi {
  readonly objects = new Map<string, KubeObject>();
  readonly applied: KubeObject[] = [];
  client(): KubeClient {
    return {
      get: async (type: ResourceType, namespace: string, name: string) => {
        const found = this.objects.get(`${type.plural}/${namespace}/${name}`);
        if (!found) throw new KubeApiError('GET', name, 404, { reason: 'NotFound' }, '');
        return structuredClone(found);
      },
      apply: async (type: ResourceType, object: KubeObject) => {
        this.applied.push(object);
        this.objects.set(`${type.plural}/${object.metadata?.namespace}/${object.metadata?.name}`, object);
        return object;
      },
    } as unknown as KubeClient;
  }
}

const cacheOf = <T extends KubeObject>(objects: T[]) => ({
  get: (key: string) => objects.find((object) => `${object.metadata?.namespace}/${object.metadata?.name}` === key),
});

test('a ConfigMap edited after it was observed is not copied under the revision observed before the edit', async () => {
  const api = new FakeApi();
  api.objects.set('configmaps/shop/web-config', configMap('bonjour')); // the server already has the edit
  const cachedConfigs = [dataChecksumOnly(configMap('hello'))]; // the watch cache does not yet
  const caches = { deployments: cacheOf([target]), configMaps: cacheOf(cachedConfigs), secrets: cacheOf([]) } as unknown as CanaryCaches;
  const workloads = new WorkloadApplier(api.client(), caches, new RecentApplies());

  const observed = workloads.trackedConfigs(canary, target);
  const observedRevision = targetRevision(target.spec?.template, observed);
  assert.equal(await workloads.promoteTargetToPrimary(canary, target, observedRevision, undefined), 'stale');
  assert.equal(api.applied.length, 0, 'nothing is written from content the decision did not see');

  cachedConfigs[0] = dataChecksumOnly(configMap('bonjour')); // the watch event arrives
  const caughtUp = workloads.trackedConfigs(canary, target);
  const revision = targetRevision(target.spec?.template, caughtUp);
  assert.equal(await workloads.promoteTargetToPrimary(canary, target, revision, undefined), 'done');
  const copy = api.objects.get('configmaps/shop/web-config-primary') as ConfigObject;
  const primary = api.objects.get('deployments/shop/web-primary') as Deployment;
  assert.deepEqual(copy.data, { greeting: 'bonjour' });
  assert.equal(primary.metadata?.annotations?.[REVISION_ANNOTATION], revision, 'the primary records the revision of what it got');
  assert.deepEqual(caughtUp, { 'configmap/web-config': dataChecksumOnly(configMap('bonjour')).dataChecksum });
  const kept = api.objects.get('secrets/shop/web-primary-releases') as ConfigObject;
  assert.equal(decodeRelease(revision, kept.data?.[revision])?.configs[0]?.data?.greeting, 'bonjour', 'kept for a later rollback');
  const order = api.applied.map((object) => `${object.kind}/${object.metadata?.name}`);
  assert.deepEqual(order, ['Secret/web-primary-releases', 'ConfigMap/web-config-primary', 'Deployment/web-primary'], 'kept before written');
});

test('a failed promotion is undone from the kept release: template and config copy of the last promoted revision', async () => {
  const api = new FakeApi();
  const cachedConfigs = [dataChecksumOnly(configMap('hello'))];
  const deployments: Deployment[] = [target];
  const caches = { deployments: cacheOf(deployments), configMaps: cacheOf(cachedConfigs), secrets: cacheOf([]) } as unknown as CanaryCaches;
  const workloads = new WorkloadApplier(api.client(), caches, new RecentApplies());
  const revisionNow = () => targetRevision(target.spec?.template, workloads.trackedConfigs(canary, target));

  api.objects.set('configmaps/shop/web-config', configMap('hello'));
  const promoted = revisionNow();
  await workloads.promoteTargetToPrimary(canary, target, promoted, undefined);
  deployments.push(api.objects.get('deployments/shop/web-primary') as Deployment);

  api.objects.set('configmaps/shop/web-config', configMap('bonjour'));
  cachedConfigs[0] = dataChecksumOnly(configMap('bonjour'));
  const failing = revisionNow();
  await workloads.promoteTargetToPrimary(canary, target, failing, promoted);
  deployments[1] = api.objects.get('deployments/shop/web-primary') as Deployment;
  assert.equal(deployments[1].metadata?.annotations?.[REVISION_ANNOTATION], failing);

  await workloads.restorePrimary(canary, target, promoted);
  const restored = api.objects.get('deployments/shop/web-primary') as Deployment;
  assert.equal(restored.metadata?.annotations?.[REVISION_ANNOTATION], promoted);
  assert.deepEqual((api.objects.get('configmaps/shop/web-config-primary') as ConfigObject).data, { greeting: 'hello' });
  await assert.rejects(workloads.restorePrimary(canary, target, 'never-kept'), /must go back to revision never-kept, but no copy/);
});
