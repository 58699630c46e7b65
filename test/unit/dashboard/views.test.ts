// The dashboard's view models: what the list and detail pages show of each kind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary } from '../../../src/api/canary.ts';
import type { GitSync } from '../../../src/api/git-sync.ts';
import type { ImagePolicy } from '../../../src/api/image-policy.ts';
import { canaryDetail, canaryPoint, canaryRow } from '../../../src/server/dashboard/canary-view.ts';
import { gitSyncDetail, gitSyncRow } from '../../../src/server/dashboard/gitsync-view.ts';
import { imagePolicyDetail, imagePolicyRow } from '../../../src/server/dashboard/image-policy-view.ts';

const T = '2026-12-01T10:00:00Z';

function canary(
  status: Canary['status'],
  analysis: Record<string, unknown> = { interval: '1m', threshold: 2, stepWeight: 20, maxWeight: 60 },
): Canary {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, service: { port: 80 }, analysis },
    status,
  } as Canary;
}

test('canary view: a progressing run shows its phase, weight and step of the schedule', () => {
  const row = canaryRow(canary({ phase: 'Progressing', canaryWeight: 40, currentStep: 1, failedChecks: 1, message: 'advancing' }));
  assert.deepEqual(row, {
    namespace: 'shop',
    name: 'web',
    phase: 'Progressing',
    weight: 40,
    step: '2/3',
    failedChecks: 1,
    message: 'advancing',
  });
});

test('canary view: the step column says where a run is, where a failed run stopped, and nothing for a run that is over', () => {
  const cases: [Canary['status'], string][] = [
    [{ phase: 'Progressing', currentStep: 0 }, '1/3'],
    [{ phase: 'WaitingPromotion', currentStep: 2 }, '3/3'],
    [{ phase: 'Failed', currentStep: 1 }, 'stopped at 2/3'],
    [{ phase: 'Succeeded', currentStep: 2 }, ''],
    [{ phase: 'Initialized', currentStep: -1 }, ''],
    [{ phase: 'Progressing', currentStep: 7 }, '3/3'],
  ];
  for (const [status, step] of cases) assert.equal(canaryRow(canary(status)).step, step, JSON.stringify(status));
});

test('canary view: a canary without status is Unknown at weight 0 with no step', () => {
  const row = canaryRow(canary(undefined));
  assert.equal(row.phase, 'Unknown');
  assert.equal(row.weight, 0);
  assert.equal(row.step, '');
});

test('canary view: the detail marks steps done, current and pending, and keeps each check with value and threshold', () => {
  const detail = canaryDetail(
    canary({
      phase: 'Progressing',
      canaryWeight: 40,
      currentStep: 1,
      checks: [
        { name: 'request-success-rate', kind: 'metric', passed: true, value: 99.5, threshold: '>= 99', query: 'sum(rate(x[1m]))', time: T },
        { name: 'request-success-rate', kind: 'metric', passed: false, value: 97, threshold: '>= 99', time: T },
        { name: 'gate', kind: 'webhook', passed: true, time: T },
      ],
    }),
    1000,
  );
  assert.deepEqual(
    detail.steps.map((step) => `${step.description}:${step.state}`),
    ['weight 20%:done', 'weight 40%:current', 'weight 60%:pending'],
  );
  assert.equal(detail.checks.length, 3);
  assert.deepEqual(detail.checks[0], {
    name: 'request-success-rate',
    kind: 'metric',
    passed: true,
    time: T,
    value: 99.5,
    threshold: '>= 99',
    query: 'sum(rate(x[1m]))',
  });
  assert.equal(detail.target, 'Deployment/web');
});

test('canary view: a chart point keeps the newest value of each metric and the weight', () => {
  const point = canaryPoint(
    canary({
      canaryWeight: 20,
      checks: [
        { name: 'latency', kind: 'metric', passed: true, value: 120, time: T },
        { name: 'latency', kind: 'metric', passed: true, value: 300, time: T },
        { name: 'gate', kind: 'webhook', passed: true, time: T },
        { name: 'nodata', kind: 'metric', passed: false, time: T },
      ],
    }),
    5000,
  );
  assert.deepEqual(point, { time: 5000, weight: 20, values: { latency: 120 } });
});

test('canary view: explicit steps with pauses are described as the engine schedules them', () => {
  const detail = canaryDetail(
    canary(
      { phase: 'Succeeded' },
      { interval: '1m', threshold: 1, steps: [{ setWeight: 10 }, { pause: {} }, { pause: { duration: '30s' } }] },
    ),
    0,
  );
  assert.deepEqual(
    detail.steps.map((step) => `${step.description}:${step.state}`),
    ['weight 10%:done', 'pause at 10% until promoted:done', 'pause at 10% 30s:done'],
  );
});

const gitSync = {
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'GitSync',
  metadata: { name: 'apps', namespace: 'ops' },
  spec: { url: 'https://git.example/apps.git', ref: { branch: 'main' }, path: 'prod' },
  status: {
    sync: 'OutOfSync',
    health: 'Healthy',
    lastAppliedRevision: 'abc1234',
    conditions: [{ type: 'Ready', status: 'True', reason: 'Synced', message: 'applied abc1234' }],
    inventory: [
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
      { apiVersion: 'v1', kind: 'Namespace', name: 'shop' },
    ],
    diff: { created: 0, updated: 0, deleted: 0, unchanged: 2, drifted: ['Deployment shop/web (spec.replicas)'] },
    history: [{ revision: 'abc1234', time: T, result: 'Succeeded' }],
  },
} as unknown as GitSync;

test('gitsync view: the row shows revision, sync, health and the Ready condition', () => {
  assert.deepEqual(gitSyncRow(gitSync), {
    namespace: 'ops',
    name: 'apps',
    url: 'https://git.example/apps.git',
    ref: 'branch main',
    revision: 'abc1234',
    sync: 'OutOfSync',
    health: 'Healthy',
    ready: 'True',
    message: 'applied abc1234',
  });
});

test('gitsync view: the detail marks the drifted objects of its inventory and keeps its history', () => {
  const detail = gitSyncDetail(gitSync);
  assert.deepEqual(
    detail.objects.map((object) => `${object.kind}/${object.name}:${object.drifted}`),
    ['Deployment/web:true', 'Namespace/shop:false'],
  );
  assert.equal(detail.history.length, 1);
  assert.equal(detail.path, 'prod');
});

const policy = {
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'ImagePolicy',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { image: 'registry.example/web' },
  status: {
    latest: { tag: '1.3.0' },
    chosen: { tag: '1.2.0', digest: 'sha256:abc' },
    tagsSeen: 4,
    lastWriteBack: { commit: 'def5678', files: ['prod/web.yaml'], time: T },
    quarantined: [
      { tag: '1.3.0', canary: 'shop/web', reason: 'Failed: error rate', time: T },
      { tag: '1.1.0', canary: 'shop/web', reason: 'Failed', time: T, liftedAt: T },
    ],
  },
} as unknown as ImagePolicy;

test('image policy view: the row counts only quarantines still in force', () => {
  const row = imagePolicyRow(policy);
  assert.equal(row.latest, '1.3.0');
  assert.equal(row.chosen, '1.2.0');
  assert.equal(row.quarantined, 1);
  assert.equal(row.ready, 'Unknown');
});

test('image policy view: the detail keeps choices, write-back and every quarantine', () => {
  const detail = imagePolicyDetail(policy);
  assert.equal(detail.tagsSeen, 4);
  assert.equal(detail.lastWriteBack?.commit, 'def5678');
  assert.equal(detail.quarantines.length, 2);
});
