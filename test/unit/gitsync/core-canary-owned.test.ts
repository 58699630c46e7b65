import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary } from '../../../src/api/canary.ts';
import { PRIMARY_REPLICAS_ANNOTATION } from '../../../src/api/canary-target.ts';
import { applyView, canaryTargets, gitOwnedView, isControlledByCanary, replicasHandedToCanary } from '../../../src/gitsync/canary-owned.ts';
import type { KubeObject, OwnerReference } from '../../../src/kube/objects.ts';

const canary = (namespace: string, target: string, phase?: string, kind = 'Deployment'): Canary =>
  ({
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name: target, namespace },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind, name: target },
      service: { port: 80 },
      analysis: { interval: '1m', threshold: 5, stepWeight: 10 },
    },
    ...(phase !== undefined ? { status: { phase } } : {}),
  }) as Canary;

const deployment = (namespace: string, name: string, replicas: number | null = 3): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    ...(replicas !== null ? { replicas } : {}),
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } } },
  },
});

const replicasOf = (object: KubeObject) => (object.spec as Record<string, unknown> | undefined)?.replicas;
const hasReplicas = (object: KubeObject) => 'replicas' in ((object.spec ?? {}) as object);

const phaseCases: { phase: string | undefined; takenOver: boolean }[] = [
  { phase: undefined, takenOver: false },
  { phase: '', takenOver: false },
  { phase: 'Initializing', takenOver: false },
  { phase: 'Initialized', takenOver: true },
  { phase: 'Progressing', takenOver: true },
  { phase: 'WaitingPromotion', takenOver: true },
  { phase: 'Succeeded', takenOver: true },
  { phase: 'Failed', takenOver: true },
];

for (const { phase, takenOver } of phaseCases) {
  test(`a targeted Deployment with its Canary in phase ${JSON.stringify(phase)}: Git never owns replicas; they are sent ${takenOver ? 'no more' : 'still'}`, () => {
    const targets = canaryTargets([canary('shop', 'web', phase)]);
    const web = deployment('shop', 'web');
    assert.equal(hasReplicas(gitOwnedView(web, targets)), false, 'replicas are never compared or hashed');
    assert.equal(hasReplicas(applyView(web, targets)), !takenOver);
    if (!takenOver) assert.equal(replicasOf(applyView(web, targets)), 3, "Git's replicas go out until the Canary scales the target itself");
  });
}

test('only spec.replicas moves, into the primary-replicas annotation; the rest is kept and the input is untouched', () => {
  const targets = canaryTargets([canary('shop', 'web', 'Succeeded')]);
  const web = deployment('shop', 'web');
  const before = structuredClone(web);
  const { replicas: _replicas, ...specWithout } = web.spec as Record<string, unknown>;
  const handed = { ...web, metadata: { ...web.metadata, annotations: { [PRIMARY_REPLICAS_ANNOTATION]: '3' } }, spec: specWithout };
  assert.deepEqual(gitOwnedView(web, targets), handed);
  assert.deepEqual(applyView(web, targets), handed);
  assert.deepEqual(web, before);
});

test('a change of replicas in Git changes what Git owns (so it is applied), not only what is sent', () => {
  const targets = canaryTargets([canary('shop', 'web', 'Succeeded')]);
  assert.notDeepEqual(gitOwnedView(deployment('shop', 'web', 3), targets), gitOwnedView(deployment('shop', 'web', 5), targets));
});

test("Git's replicas of a taken-over target are recorded as going to its -primary, or as ignored under an autoscaler", () => {
  const targets = canaryTargets([canary('shop', 'web', 'Succeeded'), canary('shop', 'api', 'Initializing')]);
  assert.deepEqual(replicasHandedToCanary(deployment('shop', 'web', 4), targets), {
    name: 'web',
    namespace: 'shop',
    replicas: 4,
    primary: 'web-primary',
  });
  assert.equal(replicasHandedToCanary(deployment('shop', 'api', 4), targets), undefined, 'not taken over yet: Git still scales it');
  assert.equal(replicasHandedToCanary(deployment('shop', 'web', null), targets), undefined);
  const scaled = canary('shop', 'web', 'Succeeded');
  scaled.spec.autoscalerRef = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'web' };
  assert.deepEqual(replicasHandedToCanary(deployment('shop', 'web', 4), canaryTargets([scaled])), {
    name: 'web',
    namespace: 'shop',
    replicas: 4,
    ignoredBecause: "HorizontalPodAutoscaler web owns the primary's replicas",
  });
});

test('a targeted Deployment that sets no replicas in Git is passed through as it is', () => {
  const targets = canaryTargets([canary('shop', 'web', 'Succeeded')]);
  const web = deployment('shop', 'web', null);
  assert.equal(gitOwnedView(web, targets), web);
  assert.equal(applyView(web, targets), web);
});

test('other Deployments, and other kinds with the target name, are untouched', () => {
  const targets = canaryTargets([canary('shop', 'web', 'Succeeded')]);
  const api = deployment('shop', 'api');
  const statefulSet: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { replicas: 3 },
  };
  const foreignDeployment: KubeObject = {
    apiVersion: 'example.com/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { replicas: 3 },
  };
  for (const object of [api, statefulSet, foreignDeployment]) {
    assert.equal(gitOwnedView(object, targets), object, `${object.apiVersion} ${object.kind} ${object.metadata?.name}`);
    assert.equal(applyView(object, targets), object, `${object.apiVersion} ${object.kind} ${object.metadata?.name}`);
  }
});

test("a Canary in another namespace does not own this namespace's Deployment of the same name", () => {
  const targets = canaryTargets([canary('staging', 'web', 'Succeeded')]);
  const web = deployment('shop', 'web');
  assert.equal(replicasOf(gitOwnedView(web, targets)), 3);
  assert.equal(replicasOf(applyView(web, targets)), 3);
  assert.equal(hasReplicas(gitOwnedView(deployment('staging', 'web'), targets)), false);
});

test('a Canary targeting a DaemonSet claims no Deployment', () => {
  const targets = canaryTargets([canary('shop', 'web', 'Succeeded', 'DaemonSet')]);
  assert.deepEqual([...targets.targeted], []);
  assert.equal(replicasOf(gitOwnedView(deployment('shop', 'web'), targets)), 3);
});

test('canaryTargets: targeted holds every target, takenOver only the initialized ones', () => {
  const targets = canaryTargets([canary('shop', 'web', 'Progressing'), canary('shop', 'api', 'Initializing'), canary('staging', 'web')]);
  assert.deepEqual([...targets.targeted].sort(), ['shop/api', 'shop/web', 'staging/web']);
  assert.deepEqual([...targets.takenOver], ['shop/web']);
});

test('no Canaries: every object passes through', () => {
  const targets = canaryTargets([]);
  const web = deployment('shop', 'web');
  assert.equal(gitOwnedView(web, targets), web);
  assert.equal(applyView(web, targets), web);
});

const owner = (fields: Partial<OwnerReference>): OwnerReference => ({
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'Canary',
  name: 'web',
  uid: 'u-1',
  ...fields,
});
const ownedBy = (...ownerReferences: OwnerReference[]): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web-primary', namespace: 'shop', ownerReferences },
});

const controlCases: { name: string; object: KubeObject | undefined; controlled: boolean }[] = [
  { name: 'no live object', object: undefined, controlled: false },
  { name: 'no owners', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }, controlled: false },
  { name: 'a wren.dev Canary as controller', object: ownedBy(owner({ controller: true })), controlled: true },
  {
    name: 'a later wren.dev version as controller',
    object: ownedBy(owner({ apiVersion: 'wren.dev/v1', controller: true })),
    controlled: true,
  },
  { name: 'a wren.dev Canary that is an owner but not the controller', object: ownedBy(owner({ controller: false })), controlled: false },
  { name: 'a wren.dev Canary owner without the controller flag', object: ownedBy(owner({})), controlled: false },
  {
    name: 'a Flagger Canary as controller',
    object: ownedBy(owner({ apiVersion: 'flagger.app/v1beta1', controller: true })),
    controlled: false,
  },
  { name: 'another wren.dev kind as controller', object: ownedBy(owner({ kind: 'GitSync', controller: true })), controlled: false },
  {
    name: 'the Canary controller among other owners',
    object: ownedBy(owner({ apiVersion: 'apps/v1', kind: 'ReplicaSet', controller: false }), owner({ controller: true })),
    controlled: true,
  },
];

for (const { name, object, controlled } of controlCases) {
  test(`isControlledByCanary: ${name}`, () => {
    assert.equal(isControlledByCanary(object), controlled);
  });
}
