// The smi and linkerd providers: the TrafficSplit written for each weight and read back, its owner,
// and the router around it against a fake cache (the split is deleted, not handed back, on deletion).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary, CanarySpecType } from '../../../src/api/canary.ts';
import type { Routes } from '../../../src/canary/engine-types.ts';
import { TRAFFIC_SPLITS } from '../../../src/routing/route-types.ts';
import { SingleObjectRouter } from '../../../src/routing/single-object-router.ts';
import { TRAFFIC_SPLIT_KIND } from '../../../src/routing/smi-objects.ts';
import { buildTrafficSplit, trafficSplitRoutes } from '../../../src/routing/smi-objects.ts';
import { fakeContext } from './fake-router-context.ts';

function canary(service: Partial<CanarySpecType['service']> = {}, provider = 'linkerd'): Canary {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test', uid: 'uid-9' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      provider,
      progressDeadlineSeconds: 60,
      service: { port: 9898, ...service },
      analysis: { interval: '30s', threshold: 5, stepWeight: 20, maxWeight: 60 },
    },
    status: { phase: 'Progressing', lastAppliedSpec: 'rev-3' },
  };
}

const routes = (canaryWeight: number): Routes => ({ primaryWeight: 100 - canaryWeight, canaryWeight });

for (const weight of [0, 40, 100]) {
  test(`canary weight ${weight}: the TrafficSplit splits the apex Service and reads back the same`, () => {
    const split = buildTrafficSplit(canary(), routes(weight));
    assert.equal(split.apiVersion, 'split.smi-spec.io/v1alpha2');
    assert.equal(split.kind, 'TrafficSplit');
    assert.deepEqual(split.spec, {
      service: 'podinfo',
      backends: [
        { service: 'podinfo-primary', weight: 100 - weight },
        { service: 'podinfo-canary', weight },
      ],
    });
    assert.deepEqual(trafficSplitRoutes(canary(), split), routes(weight));
  });
}

test('the TrafficSplit is named after the apex Service (spec.service.name) and owned by the Canary', () => {
  const split = buildTrafficSplit(canary({ name: 'frontend' }, 'smi'), routes(40));
  assert.equal(split.metadata?.name, 'frontend');
  assert.equal(split.metadata?.namespace, 'test');
  assert.deepEqual(split.metadata?.ownerReferences, [
    { apiVersion: 'wren.dev/v1alpha1', kind: 'Canary', name: 'podinfo', uid: 'uid-9', controller: true, blockOwnerDeletion: true },
  ]);
  assert.equal(split.metadata?.labels?.['app.kubernetes.io/managed-by'], 'wren');
  assert.deepEqual(
    (split.spec?.backends as { service: string }[]).map((backend) => backend.service),
    ['frontend-primary', 'frontend-canary'],
  );
  assert.equal(split.spec?.service, 'frontend');
});

test('weights are written as integers', () => {
  const split = buildTrafficSplit(canary(), { primaryWeight: 66.6, canaryWeight: 33.4 });
  assert.deepEqual(
    (split.spec?.backends as { weight: number }[]).map((backend) => backend.weight),
    [67, 33],
  );
});

test('a missing split, or one over other Services, has no routes', () => {
  assert.equal(trafficSplitRoutes(canary(), undefined), undefined);
  const foreign = {
    ...buildTrafficSplit(canary(), routes(40)),
    spec: { service: 'podinfo', backends: [{ service: 'podinfo-v1', weight: 100 }] },
  };
  assert.equal(trafficSplitRoutes(canary(), foreign), undefined);
});

test('router: creates the split all-primary, keeps the current weights, deletes the split on finalize', async () => {
  const { context, calls, cache, types } = fakeContext();
  const router = new SingleObjectRouter(context, TRAFFIC_SPLIT_KIND);
  assert.equal(router.weighted, true);
  assert.deepEqual(types, [TRAFFIC_SPLITS]);
  assert.equal(router.getRoutes(canary()), undefined);
  await router.reconcile(canary());
  assert.deepEqual(router.getRoutes(canary()), routes(0));
  await router.setRoutes(canary(), routes(40));
  assert.deepEqual(router.getRoutes(canary()), routes(40));
  await router.reconcile(canary());
  assert.deepEqual(router.getRoutes(canary()), routes(40), 'reconcile keeps the weights of the run');
  await router.finalize(canary());
  assert.deepEqual(calls, [
    'service primary',
    'ensure TrafficSplit podinfo',
    'service primary',
    'ensure TrafficSplit podinfo',
    'service primary',
    'ensure TrafficSplit podinfo',
    'service canary unowned',
    'release podinfo',
  ]);
  assert.equal(cache.size, 0);
});
