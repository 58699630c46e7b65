import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPhases, syncWave } from '../../../src/gitsync/apply-order.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';

const object = (kind: string, name: string, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, ...(annotations ? { annotations } : {}) },
});

const waveCases: { name: string; annotations: Record<string, string> | undefined; wave: number }[] = [
  { name: 'no annotations', annotations: undefined, wave: 0 },
  { name: 'unrelated annotations', annotations: { owner: 'alice' }, wave: 0 },
  { name: 'wren.dev/sync-wave', annotations: { 'wren.dev/sync-wave': '3' }, wave: 3 },
  { name: 'argocd.argoproj.io/sync-wave', annotations: { 'argocd.argoproj.io/sync-wave': '2' }, wave: 2 },
  { name: 'a negative wave', annotations: { 'wren.dev/sync-wave': '-5' }, wave: -5 },
  { name: 'surrounding spaces', annotations: { 'wren.dev/sync-wave': ' 4 ' }, wave: 4 },
  { name: 'wren.dev wins over argocd', annotations: { 'wren.dev/sync-wave': '1', 'argocd.argoproj.io/sync-wave': '9' }, wave: 1 },
  { name: 'a fraction counts as 0', annotations: { 'wren.dev/sync-wave': '1.5' }, wave: 0 },
  { name: 'a word counts as 0', annotations: { 'wren.dev/sync-wave': 'early' }, wave: 0 },
  { name: 'an empty value counts as 0', annotations: { 'wren.dev/sync-wave': '' }, wave: 0 },
  { name: 'a number with a unit counts as 0', annotations: { 'argocd.argoproj.io/sync-wave': '2x' }, wave: 0 },
];

for (const { name, annotations, wave } of waveCases) {
  test(`syncWave: ${name}`, () => {
    assert.equal(syncWave(object('ConfigMap', 'c', annotations)), wave);
  });
}

const label = (item: KubeObject) => `${item.kind}/${item.metadata?.name}`;
const phasesOf = (items: KubeObject[]) => applyPhases(items, (item) => item).map((phase) => phase.map(label));

test('applyPhases: CRDs, then Namespaces, then everything else, each a phase of its own', () => {
  const items = [
    object('Deployment', 'web'),
    object('Widget', 'w'),
    object('Namespace', 'shop'),
    object('CustomResourceDefinition', 'widgets.example.com'),
    object('ConfigMap', 'settings'),
  ];
  assert.deepEqual(phasesOf(items), [
    ['CustomResourceDefinition/widgets.example.com'],
    ['Namespace/shop'],
    ['ConfigMap/settings', 'Deployment/web', 'Widget/w'],
  ]);
});

test('applyPhases: inside a phase, identities and configuration before workloads before routes, custom kinds last', () => {
  const items = [
    object('Ingress', 'web'),
    object('Widget', 'w'),
    object('Deployment', 'web'),
    object('Service', 'web'),
    object('ConfigMap', 'settings'),
    object('ServiceAccount', 'web'),
    object('Secret', 'token'),
    object('RoleBinding', 'web'),
    object('Role', 'web'),
  ];
  assert.deepEqual(phasesOf(items), [
    [
      'ServiceAccount/web',
      'Secret/token',
      'ConfigMap/settings',
      'Role/web',
      'RoleBinding/web',
      'Service/web',
      'Deployment/web',
      'Ingress/web',
      'Widget/w',
    ],
  ]);
});

test('applyPhases: lower waves first, each wave split into its own CRD, Namespace and rest phases', () => {
  const wave = (value: string) => ({ 'wren.dev/sync-wave': value });
  const items = [
    object('Deployment', 'app', wave('1')),
    object('Job', 'migrate', wave('-1')),
    object('Namespace', 'late', wave('1')),
    object('ConfigMap', 'settings'),
    object('CustomResourceDefinition', 'widgets.example.com'),
    object('Widget', 'w', { 'argocd.argoproj.io/sync-wave': '1' }),
    object('Namespace', 'shop'),
  ];
  assert.deepEqual(phasesOf(items), [
    ['Job/migrate'],
    ['CustomResourceDefinition/widgets.example.com'],
    ['Namespace/shop'],
    ['ConfigMap/settings'],
    ['Namespace/late'],
    ['Deployment/app', 'Widget/w'],
  ]);
});

test('applyPhases: objects of the same wave and kind keep the order they came in', () => {
  const items = [object('ConfigMap', 'c'), object('ConfigMap', 'a'), object('ConfigMap', 'b')];
  assert.deepEqual(phasesOf(items), [['ConfigMap/c', 'ConfigMap/a', 'ConfigMap/b']]);
});

test('applyPhases: every item appears exactly once, and the input is not reordered', () => {
  const items = [
    object('Ingress', 'i'),
    object('Namespace', 'n'),
    object('Deployment', 'd', { 'wren.dev/sync-wave': '2' }),
    object('CustomResourceDefinition', 'c'),
  ];
  const before = items.map(label);
  const phases = phasesOf(items);
  assert.deepEqual(phases.flat().sort(), [...before].sort());
  assert.deepEqual(items.map(label), before);
});

test('applyPhases: nothing to apply gives no phases', () => {
  assert.deepEqual(phasesOf([]), []);
});

test('applyPhases: works on wrapped items through objectOf', () => {
  const wrapped = [
    { source: 'b.yaml', object: object('Deployment', 'web') },
    { source: 'a.yaml', object: object('Namespace', 'shop') },
  ];
  const phases = applyPhases(wrapped, (item) => item.object);
  assert.deepEqual(
    phases.map((phase) => phase.map((item) => item.source)),
    [['a.yaml'], ['b.yaml']],
  );
  assert.equal(phases[0]?.[0], wrapped[1], 'the items themselves are returned');
});
