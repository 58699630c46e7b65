import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canDryRunNow, inventoryAfterFailure, planApply, type ApplyFacts, type ApplyPlan } from '../../../src/gitsync/apply-plan.ts';
import type { DesiredObject } from '../../../src/gitsync/desired-objects.ts';
import type { Classified, Verdict } from '../../../src/gitsync/drift-check.ts';
import { refKey, type ObjectRef } from '../../../src/gitsync/object-key.ts';
import type { ResourceType } from '../../../src/kube/resource-types.ts';

const API_VERSIONS: Record<string, string> = {
  ConfigMap: 'v1',
  Namespace: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  Widget: 'example.com/v1',
};

const ref = (kind: string, name: string, namespace?: string): ObjectRef => ({
  apiVersion: API_VERSIONS[kind] ?? 'v1',
  kind,
  name,
  ...(namespace ? { namespace } : {}),
});

const typeOf = (kind: string): ResourceType => ({ group: '', version: 'v1', plural: `${kind.toLowerCase()}s`, kind, namespaced: true });

/** A desired object; `served: false` stands for a kind whose CRD comes in the same sync. */
function desired(kind: string, name: string, options: { namespace?: string; served?: boolean } = {}): DesiredObject {
  const namespace = options.namespace ?? (kind === 'Namespace' || kind === 'CustomResourceDefinition' ? undefined : 'shop');
  const objectRef = ref(kind, name, namespace);
  const object = { apiVersion: objectRef.apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } };
  return {
    source: `${name}.yaml`,
    ref: objectRef,
    key: refKey(objectRef),
    type: options.served === false ? undefined : typeOf(kind),
    gitView: object,
    applied: object,
    hash: `hash-${name}`,
  };
}

function item(verdict: Verdict, kind: string, name: string, options: { paths?: string[]; served?: boolean } = {}): Classified {
  return {
    desired: desired(kind, name, options.served === undefined ? {} : { served: options.served }),
    live: undefined,
    verdict,
    ...(options.paths ? { paths: options.paths } : {}),
  };
}

const base: ApplyFacts = {
  classified: [],
  healWaitMs: new Map(),
  selfHeal: true,
  prune: true,
  allowEmpty: false,
  inventory: [],
  outOfScope: new Set(),
};

function plan(facts: Partial<ApplyFacts>): ApplyPlan {
  const decision = planApply({ ...base, ...facts });
  assert.equal(decision.kind, 'apply', decision.kind === 'refuse' ? decision.error.message : '');
  return decision as ApplyPlan;
}

const names = (items: Classified[]) => items.map((entry) => `${entry.desired.ref.kind}/${entry.desired.ref.name}`);
const refNames = (refs: ObjectRef[]) => refs.map((entry) => `${entry.kind}/${entry.name}`);

// Every verdict, and drift under each self-heal setting and wait.
const verdictCases: {
  name: string;
  verdict: Verdict;
  selfHeal?: boolean;
  waitMs?: number;
  sent: boolean;
  unchanged: number;
  drifted: string[];
  retryHealInMs?: number;
}[] = [
  { name: 'a new object is sent', verdict: 'create', sent: true, unchanged: 0, drifted: [] },
  { name: 'an object Git changed is sent', verdict: 'update', sent: true, unchanged: 0, drifted: [] },
  { name: 'an unchanged object is counted, not sent', verdict: 'unchanged', sent: false, unchanged: 1, drifted: [] },
  { name: 'an object a Canary owns counts as unchanged', verdict: 'canary-owned', sent: false, unchanged: 1, drifted: [] },
  { name: 'drift with self-heal on and no backoff is corrected', verdict: 'drifted', sent: true, unchanged: 0, drifted: [] },
  {
    name: 'drift with self-heal off is left in place, with no retry',
    verdict: 'drifted',
    selfHeal: false,
    sent: false,
    unchanged: 0,
    drifted: ['ConfigMap shop/web (data.color, data.size)'],
  },
  {
    name: 'drift with self-heal off is left in place even when no backoff runs',
    verdict: 'drifted',
    selfHeal: false,
    waitMs: 0,
    sent: false,
    unchanged: 0,
    drifted: ['ConfigMap shop/web (data.color, data.size)'],
  },
  {
    name: 'drift whose correction is backing off waits, and says when to look again',
    verdict: 'drifted',
    waitMs: 20_000,
    sent: false,
    unchanged: 0,
    drifted: ['ConfigMap shop/web (data.color, data.size)'],
    retryHealInMs: 20_000,
  },
  {
    name: 'a backoff wait for an object that is not drifted changes nothing',
    verdict: 'update',
    waitMs: 20_000,
    sent: true,
    unchanged: 0,
    drifted: [],
  },
];

for (const testCase of verdictCases) {
  test(`planApply: ${testCase.name}`, () => {
    const web = item(testCase.verdict, 'ConfigMap', 'web', testCase.verdict === 'drifted' ? { paths: ['data.color', 'data.size'] } : {});
    const result = plan({
      classified: [web],
      selfHeal: testCase.selfHeal ?? true,
      healWaitMs: new Map(testCase.waitMs === undefined ? [] : [[web.desired.key, testCase.waitMs]]),
    });
    assert.deepEqual(names(result.send), testCase.sent ? ['ConfigMap/web'] : []);
    assert.deepEqual(
      result.phases.map((phase) => names(phase.objects)),
      testCase.sent ? [['ConfigMap/web']] : [],
    );
    assert.equal(result.unchanged, testCase.unchanged);
    assert.deepEqual(result.drifted, testCase.drifted);
    assert.equal(result.retryHealInMs, testCase.retryHealInMs);
  });
}

test('planApply: of several backed-off corrections the soonest sets the retry; a correction free to run is sent', () => {
  const late = item('drifted', 'ConfigMap', 'late', { paths: ['data.a'] });
  const soon = item('drifted', 'ConfigMap', 'soon', { paths: ['data.b'] });
  const free = item('drifted', 'ConfigMap', 'free', { paths: ['data.c'] });
  const result = plan({
    classified: [late, soon, free],
    healWaitMs: new Map([
      [late.desired.key, 80_000],
      [soon.desired.key, 10_000],
      [free.desired.key, 0],
    ]),
  });
  assert.deepEqual(names(result.send), ['ConfigMap/free']);
  assert.deepEqual(result.drifted, ['ConfigMap shop/late (data.a)', 'ConfigMap shop/soon (data.b)']);
  assert.equal(result.retryHealInMs, 10_000);
});

test('planApply: a drifted object without known paths is still named', () => {
  const result = plan({ classified: [item('drifted', 'ConfigMap', 'web')], selfHeal: false });
  assert.deepEqual(result.drifted, ['ConfigMap shop/web ()']);
});

test('planApply: what is sent keeps render order; phases put CRDs, then Namespaces, then the rest', () => {
  const result = plan({
    classified: [
      item('create', 'Deployment', 'web'),
      item('unchanged', 'Service', 'web'),
      item('create', 'Widget', 'blue', { served: false }),
      item('update', 'ConfigMap', 'settings'),
      item('create', 'Namespace', 'shop'),
      item('create', 'CustomResourceDefinition', 'widgets.example.com'),
    ],
  });
  assert.deepEqual(names(result.send), [
    'Deployment/web',
    'Widget/blue',
    'ConfigMap/settings',
    'Namespace/shop',
    'CustomResourceDefinition/widgets.example.com',
  ]);
  assert.deepEqual(
    result.phases.map((phase) => names(phase.objects)),
    [['CustomResourceDefinition/widgets.example.com'], ['Namespace/shop'], ['ConfigMap/settings', 'Deployment/web', 'Widget/blue']],
  );
});

test('planApply: CRDs are applied, and awaited, before the custom resources of their kind', () => {
  const result = plan({
    classified: [item('create', 'Widget', 'blue', { served: false }), item('create', 'CustomResourceDefinition', 'widgets.example.com')],
  });
  assert.deepEqual(
    result.phases.map((phase) => ({ objects: names(phase.objects), await: phase.crdsToAwait.map((crd) => crd.ref.name) })),
    [
      { objects: ['CustomResourceDefinition/widgets.example.com'], await: ['widgets.example.com'] },
      { objects: ['Widget/blue'], await: [] },
    ],
  );
});

test('planApply: an unchanged CRD is not awaited; its custom resources go out in the first phase', () => {
  const result = plan({
    classified: [item('create', 'Widget', 'blue'), item('unchanged', 'CustomResourceDefinition', 'widgets.example.com')],
  });
  assert.deepEqual(
    result.phases.map((phase) => ({ objects: names(phase.objects), await: phase.crdsToAwait.length })),
    [{ objects: ['Widget/blue'], await: 0 }],
  );
});

// The empty revision: refuse to prune everything unless told to.
const inventory = [ref('ConfigMap', 'settings', 'shop'), ref('Deployment', 'web', 'shop'), ref('Service', 'web', 'shop')];
const emptyCases: { name: string; facts: Partial<ApplyFacts>; refused: boolean; prune: string[][] }[] = [
  { name: 'prune on, allowEmpty off: refused', facts: { inventory }, refused: true, prune: [] },
  {
    name: 'allowEmpty: everything in the inventory is pruned',
    facts: { inventory, allowEmpty: true },
    refused: false,
    prune: [['ConfigMap/settings', 'Service/web', 'Deployment/web']],
  },
  { name: 'prune off: nothing is deleted, so nothing to refuse', facts: { inventory, prune: false }, refused: false, prune: [] },
  { name: 'an empty inventory: nothing to delete', facts: { inventory: [] }, refused: false, prune: [] },
];

for (const testCase of emptyCases) {
  test(`planApply, revision renders nothing: ${testCase.name}`, () => {
    const decision = planApply({ ...base, ...testCase.facts });
    if (testCase.refused) {
      assert.equal(decision.kind, 'refuse');
      assert.ok(decision.kind === 'refuse');
      assert.equal(decision.error.stage, 'prune');
      assert.equal(
        decision.error.detail,
        'the revision renders no objects; refusing to delete all 3 applied objects (set spec.allowEmpty to allow it)',
      );
      return;
    }
    assert.equal(decision.kind, 'apply');
    assert.ok(decision.kind === 'apply');
    assert.deepEqual(decision.prune.map(refNames), testCase.prune);
    assert.deepEqual(decision.send, []);
    assert.deepEqual(decision.inventory, []);
  });
}

test('planApply: one object left in Git is enough: no refusal, the rest is pruned', () => {
  const result = plan({ classified: [item('unchanged', 'ConfigMap', 'settings')], inventory });
  assert.deepEqual(result.prune.map(refNames), [['Service/web', 'Deployment/web']]);
});

test('planApply: prune deletes newest kinds first, and leaves wanted and out-of-scope inventory alone', () => {
  const elsewhere = ref('ConfigMap', 'shared', 'other-team');
  const result = plan({
    classified: [item('unchanged', 'ConfigMap', 'settings')],
    inventory: [
      ref('CustomResourceDefinition', 'widgets.example.com'),
      ref('Deployment', 'web', 'shop'),
      ref('ConfigMap', 'settings', 'shop'),
      elsewhere,
      ref('Namespace', 'shop'),
      ref('Widget', 'blue', 'shop'),
      ref('Service', 'web', 'shop'),
    ],
    outOfScope: new Set([refKey(elsewhere)]),
  });
  assert.deepEqual(result.prune.map(refNames), [
    ['Service/web', 'Deployment/web', 'Widget/blue'],
    ['Namespace/shop'],
    ['CustomResourceDefinition/widgets.example.com'],
  ]);
});

test('planApply: an inventory entry of another version of a wanted object is not pruned', () => {
  const result = plan({
    classified: [item('unchanged', 'Deployment', 'web')],
    inventory: [{ apiVersion: 'apps/v1beta2', kind: 'Deployment', name: 'web', namespace: 'shop' }],
  });
  assert.deepEqual(result.prune, []);
});

test('planApply: prune off leaves everything that left Git', () => {
  const result = plan({ classified: [item('unchanged', 'ConfigMap', 'settings')], inventory, prune: false });
  assert.deepEqual(result.prune, []);
});

test('planApply: the inventory becomes every desired object, sent or not; namespaces include spec.createNamespace once', () => {
  const result = plan({
    classified: [
      item('unchanged', 'ConfigMap', 'settings'),
      item('create', 'Deployment', 'web'),
      item('create', 'CustomResourceDefinition', 'widgets.example.com'),
    ],
    createNamespace: 'staging',
  });
  assert.deepEqual(refNames(result.inventory), ['ConfigMap/settings', 'Deployment/web', 'CustomResourceDefinition/widgets.example.com']);
  assert.deepEqual(result.namespaces, ['shop', 'staging']);
});

const dryRunCases: { name: string; object: DesiredObject; missing: string[]; expected: boolean }[] = [
  { name: 'a served kind in an existing namespace', object: desired('ConfigMap', 'c'), missing: [], expected: true },
  { name: 'a kind whose CRD this sync applies', object: desired('Widget', 'w', { served: false }), missing: [], expected: false },
  { name: 'an object in a namespace this sync creates', object: desired('ConfigMap', 'c'), missing: ['shop'], expected: false },
  { name: 'another namespace is missing', object: desired('ConfigMap', 'c'), missing: ['staging'], expected: true },
  { name: 'a cluster-scoped object', object: desired('Namespace', 'shop'), missing: ['shop'], expected: true },
];

for (const { name, object, missing, expected } of dryRunCases) {
  test(`canDryRunNow: ${name}`, () => assert.equal(canDryRunNow(object, new Set(missing)), expected));
}

test('inventoryAfterFailure: the old inventory plus what was applied, nothing that was not', () => {
  const applied = item('create', 'Deployment', 'web');
  const notApplied = item('create', 'Service', 'web');
  const kept = inventoryAfterFailure([ref('ConfigMap', 'old', 'shop')], [applied, notApplied], new Set([applied.desired.key]));
  assert.deepEqual(refNames(kept), ['ConfigMap/old', 'Deployment/web']);
});

test('inventoryAfterFailure: an applied object already in the inventory takes its new version, once', () => {
  const applied = item('update', 'Deployment', 'web');
  const kept = inventoryAfterFailure(
    [{ apiVersion: 'apps/v1beta2', kind: 'Deployment', name: 'web', namespace: 'shop' }],
    [applied],
    new Set([applied.desired.key]),
  );
  assert.deepEqual(kept, [applied.desired.ref]);
});
