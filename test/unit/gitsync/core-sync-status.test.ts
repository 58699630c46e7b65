import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GitSync } from '../../../src/api/git-sync.ts';
import type { HealthVerdict } from '../../../src/gitsync/health.ts';
import type { SyncOutcome } from '../../../src/gitsync/object-applier.ts';
import type { ObjectRef } from '../../../src/gitsync/object-key.ts';
import { SyncError, type SyncStage } from '../../../src/gitsync/sync-error.ts';
import { failedStatus, type GitSyncStatus, type SyncReport, syncedStatus, waitingStatus } from '../../../src/gitsync/sync-status.ts';
import type { KubeClient } from '../../../src/kube/client.ts';
import { GIT_SYNCS } from '../../../src/kube/resource-types.ts';
import { normalized, writeStatusIfChanged } from '../../../src/kube/status-writer.ts';

const REV_A = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';
const REV_B = 'b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1';
const T0 = new Date('2024-05-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const blank: GitSync = {
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'GitSync',
  metadata: { name: 'shop', namespace: 'wren', generation: 4 },
  spec: { url: 'https://git.example/shop.git' },
};

/** The GitSync as the next reconcile reads it: the status written before, as it comes back over the wire. */
const stored = (sync: GitSync, status: GitSyncStatus): GitSync => ({ ...sync, status: normalized(status) });

/** Whether the reconciler would send a status write for this result. */
async function writesStatus(sync: GitSync, status: GitSyncStatus): Promise<boolean> {
  let writes = 0;
  const client = {
    applyStatus: async () => {
      writes += 1;
      return {};
    },
  } as unknown as KubeClient;
  const wrote = await writeStatusIfChanged(client, GIT_SYNCS, sync, status);
  assert.equal(wrote, writes === 1);
  return wrote;
}

const deployment: ObjectRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' };
const service: ObjectRef = { apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'shop' };
const configMap: ObjectRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace: 'shop' };
const namespace: ObjectRef = { apiVersion: 'v1', kind: 'Namespace', name: 'shop' };

const outcome = (fields: Partial<SyncOutcome> = {}): SyncOutcome => ({
  created: [],
  updated: [],
  healed: [],
  drifted: [],
  deleted: [],
  unchanged: 0,
  inventory: [deployment, service, configMap, namespace],
  ...fields,
});

const healthy: HealthVerdict = { health: 'Healthy' };

const report = (fields: Partial<SyncReport> = {}): SyncReport => ({
  commit: REV_A,
  trigger: 'new revision',
  outcome: outcome(),
  health: healthy,
  rolledBack: false,
  requestedAt: undefined,
  canaryReplicas: [],
  now: T0,
  ...fields,
});

const firstSync = () =>
  stored(
    blank,
    syncedStatus(
      blank,
      report({ outcome: outcome({ created: ['Namespace shop', 'ConfigMap shop/settings', 'Deployment shop/web', 'Service shop/web'] }) }),
    ),
  );

const ready = (status: GitSyncStatus) => status.conditions?.find((condition) => condition.type === 'Ready');

test('first sync of a revision: applied revision, time, history, diff and a Ready condition', () => {
  const status = syncedStatus(
    blank,
    report({ outcome: outcome({ created: ['Namespace shop', 'ConfigMap shop/settings', 'Deployment shop/web', 'Service shop/web'] }) }),
  );
  assert.equal(status.lastAppliedRevision, REV_A);
  assert.equal(status.lastAttemptedRevision, REV_A);
  assert.equal(status.lastSyncTime, '2024-05-01T10:00:00Z');
  assert.equal(status.observedGeneration, 4);
  assert.equal(status.sync, 'Synced');
  assert.equal(status.health, 'Healthy');
  assert.deepEqual(status.diff, { created: 4, updated: 0, deleted: 0, unchanged: 0 });
  assert.deepEqual(status.history, [
    {
      revision: REV_A,
      time: '2024-05-01T10:00:00Z',
      result: 'Succeeded',
      trigger: 'new revision',
      message: '4 created, 0 updated, 0 corrected, 0 deleted',
    },
  ]);
  assert.deepEqual(ready(status), {
    type: 'Ready',
    status: 'True',
    reason: 'Synced',
    message: 'applied revision a1b2c3d4e5f6',
    observedGeneration: 4,
    lastTransitionTime: '2024-05-01T10:00:00Z',
  });
  assert.deepEqual(
    status.inventory?.map((ref) => `${ref.kind}/${ref.name}`),
    ['ConfigMap/settings', 'Deployment/web', 'Namespace/shop', 'Service/web'],
  );
});

test('a resync that changed nothing and saw no new revision produces the stored status again: no write', async () => {
  let sync = firstSync();
  for (const minutes of [1, 2, 30, 600]) {
    // The applier lists the inventory in whatever order it found the objects.
    const next = syncedStatus(
      sync,
      report({
        trigger: 'interval',
        outcome: outcome({ unchanged: 4, inventory: [service, namespace, configMap, deployment] }),
        now: at(minutes),
      }),
    );
    assert.deepEqual(normalized(next), sync.status, `resync after ${minutes} min`);
    assert.equal(await writesStatus(sync, next), false);
    sync = stored(sync, next);
  }
});

test('a no-op resync after a sync that left no drift does not gain an empty drift list', () => {
  const sync = firstSync();
  const next = syncedStatus(sync, report({ outcome: outcome({ unchanged: 4 }), now: at(5) }));
  assert.equal(normalized(next).diff?.drifted, undefined);
  assert.deepEqual(normalized(next).diff, sync.status?.diff, 'the diff of the last sync that applied something stays');
});

test('a no-op resync that sees a health change writes the new health, but adds no history and keeps the sync time', async () => {
  const sync = firstSync();
  const next = syncedStatus(
    sync,
    report({
      outcome: outcome({ unchanged: 4 }),
      health: { health: 'Progressing', message: 'Deployment shop/web: 1 of 3 replicas updated' },
      now: at(1),
    }),
  );
  assert.equal(next.health, 'Progressing');
  assert.equal(next.lastSyncTime, sync.status?.lastSyncTime);
  assert.deepEqual(next.history, sync.status?.history);
  assert.equal(await writesStatus(sync, next), true);
});

test('a new revision: applied revision, a history entry with trigger and counts, and the diff of this sync', () => {
  const sync = firstSync();
  const status = syncedStatus(
    sync,
    report({
      commit: REV_B,
      trigger: 'webhook',
      outcome: outcome({
        created: ['Secret shop/token'],
        updated: ['Deployment shop/web', 'ConfigMap shop/settings'],
        deleted: ['Service shop/old'],
        unchanged: 2,
      }),
      now: at(10),
    }),
  );
  assert.equal(status.lastAppliedRevision, REV_B);
  assert.equal(status.lastAttemptedRevision, REV_B);
  assert.equal(status.lastSyncTime, '2024-05-01T10:10:00Z');
  assert.deepEqual(status.diff, { created: 1, updated: 2, deleted: 1, unchanged: 2 });
  assert.deepEqual(status.history?.[0], {
    revision: REV_B,
    time: '2024-05-01T10:10:00Z',
    result: 'Succeeded',
    trigger: 'webhook',
    message: '1 created, 2 updated, 0 corrected, 1 deleted',
  });
  assert.equal(status.history?.[1]?.revision, REV_A);
  assert.equal(ready(status)?.message, 'applied revision b0c9d8e7f6a5');
  assert.equal(ready(status)?.lastTransitionTime, '2024-05-01T10:00:00Z', 'Ready stayed True: its transition time does not move');
});

test('a new revision that changes no object is still recorded as applied', () => {
  const sync = firstSync();
  const status = syncedStatus(sync, report({ commit: REV_B, outcome: outcome({ unchanged: 4 }), now: at(10) }));
  assert.equal(status.lastAppliedRevision, REV_B);
  assert.equal(status.history?.length, 2);
  assert.deepEqual(status.diff, { created: 0, updated: 0, deleted: 0, unchanged: 4 });
});

test('a resync of the same revision that corrected drift is history, and corrections count as updates in the diff', () => {
  const sync = firstSync();
  const status = syncedStatus(
    sync,
    report({ trigger: 'drift', outcome: outcome({ healed: ['Deployment shop/web'], unchanged: 3 }), now: at(3) }),
  );
  assert.equal(status.lastAppliedRevision, REV_A);
  assert.equal(status.lastSyncTime, '2024-05-01T10:03:00Z');
  assert.deepEqual(status.diff, { created: 0, updated: 1, deleted: 0, unchanged: 3 });
  assert.deepEqual(status.history?.[0], {
    revision: REV_A,
    time: '2024-05-01T10:03:00Z',
    result: 'Succeeded',
    trigger: 'drift',
    message: '0 created, 0 updated, 1 corrected, 0 deleted',
  });
});

test('drift left in place: OutOfSync with the drifted objects listed; the same drift on the next resync writes nothing; when it goes, Synced again', async () => {
  let sync = firstSync();
  const drifted = ['Deployment shop/web (.spec.replicas)'];
  const withDrift = syncedStatus(sync, report({ trigger: 'interval', outcome: outcome({ drifted, unchanged: 3 }), now: at(1) }));
  assert.equal(withDrift.sync, 'OutOfSync');
  assert.deepEqual(withDrift.diff?.drifted, drifted);
  assert.equal(ready(withDrift)?.status, 'True');
  assert.equal(ready(withDrift)?.message, 'applied revision a1b2c3d4e5f6; 1 objects drifted');
  assert.deepEqual(withDrift.history, sync.status?.history, 'drift left alone is not a sync');
  assert.equal(await writesStatus(sync, withDrift), true);
  sync = stored(sync, withDrift);

  const again = syncedStatus(sync, report({ trigger: 'interval', outcome: outcome({ drifted, unchanged: 3 }), now: at(2) }));
  assert.equal(await writesStatus(sync, again), false);

  const gone = syncedStatus(sync, report({ trigger: 'interval', outcome: outcome({ unchanged: 4 }), now: at(3) }));
  assert.equal(gone.sync, 'Synced');
  assert.equal(normalized(gone).diff?.drifted, undefined);
  assert.equal(ready(gone)?.message, 'applied revision a1b2c3d4e5f6');
});

test('drift left in place on a new revision is listed next to the counts', () => {
  const status = syncedStatus(
    firstSync(),
    report({
      commit: REV_B,
      outcome: outcome({ updated: ['ConfigMap shop/settings'], drifted: ['Deployment shop/web (.spec.replicas)'], unchanged: 2 }),
      now: at(5),
    }),
  );
  assert.equal(status.sync, 'OutOfSync');
  assert.deepEqual(status.diff, { created: 0, updated: 1, deleted: 0, unchanged: 2, drifted: ['Deployment shop/web (.spec.replicas)'] });
});

test('the drift list is capped at 20 while the message counts every drifted object', () => {
  const drifted = Array.from({ length: 25 }, (_, index) => `ConfigMap shop/c${index} (.data.x)`);
  const status = syncedStatus(firstSync(), report({ outcome: outcome({ drifted }), now: at(1) }));
  assert.deepEqual(status.diff?.drifted, drifted.slice(0, 20));
  assert.equal(ready(status)?.message, 'applied revision a1b2c3d4e5f6; 25 objects drifted');
});

test('a GitSync held by a rollback says so in Ready', () => {
  const status = syncedStatus(firstSync(), report({ commit: REV_B, rolledBack: true, now: at(1) }));
  assert.equal(ready(status)?.reason, 'RolledBack');
  assert.equal(ready(status)?.status, 'True');
  assert.match(ready(status)?.message ?? '', /held at revision b0c9d8e7f6a5 by a rollback/);
});

test('a handled request is recorded; handling the same request again changes nothing', async () => {
  const sync = firstSync();
  const requestedAt = '2024-05-01T10:04:00Z';
  const handled = syncedStatus(sync, report({ trigger: 'request', requestedAt, outcome: outcome({ unchanged: 4 }), now: at(4) }));
  assert.equal(handled.lastHandledRequestedAt, requestedAt);
  assert.equal(await writesStatus(sync, handled), true);
  const after = stored(sync, handled);
  const again = syncedStatus(
    after,
    report({ trigger: 'interval', requestedAt: undefined, outcome: outcome({ unchanged: 4 }), now: at(5) }),
  );
  assert.equal(again.lastHandledRequestedAt, requestedAt, 'kept when no new request is handled');
  assert.equal(await writesStatus(after, again), false);
});

/** commit null: the failure came before a revision was known. */
const failure = (stage: SyncStage, message: string, commit: string | null = REV_B, now = at(10)) => ({
  error: new SyncError(stage, message),
  commit: commit ?? undefined,
  trigger: 'new revision',
  requestedAt: undefined,
  now,
});

test('a failure keeps the applied revision, records the attempted one and says where it failed', () => {
  const sync = firstSync();
  const status = failedStatus(sync, failure('dry-run', 'Deployment shop/web: spec.replicas: Invalid value: -1'));
  assert.equal(status.lastAppliedRevision, REV_A);
  assert.equal(status.lastAttemptedRevision, REV_B);
  assert.equal(status.lastSyncTime, sync.status?.lastSyncTime);
  assert.equal(status.sync, 'OutOfSync');
  assert.equal(status.health, 'Healthy', 'the health of what is applied is unchanged');
  assert.deepEqual(ready(status), {
    type: 'Ready',
    status: 'False',
    reason: 'DryRunFailed',
    message: 'dry-run failed: Deployment shop/web: spec.replicas: Invalid value: -1',
    observedGeneration: 4,
    lastTransitionTime: '2024-05-01T10:10:00Z',
  });
  assert.deepEqual(status.history?.[0], {
    revision: REV_B,
    time: '2024-05-01T10:10:00Z',
    result: 'Failed',
    trigger: 'new revision',
    message: 'dry-run failed: Deployment shop/web: spec.replicas: Invalid value: -1',
  });
  assert.equal(status.history?.[1]?.revision, REV_A);
  assert.deepEqual(status.inventory, sync.status?.inventory, 'a failure before applying keeps the inventory');
});

const reasonCases: { stage: SyncStage; reason: string }[] = [
  { stage: 'fetch', reason: 'FetchFailed' },
  { stage: 'render', reason: 'RenderFailed' },
  { stage: 'decrypt', reason: 'DecryptFailed' },
  { stage: 'placeholders', reason: 'PlaceholdersFailed' },
  { stage: 'dry-run', reason: 'DryRunFailed' },
  { stage: 'apply', reason: 'ApplyFailed' },
  { stage: 'prune', reason: 'PruneFailed' },
];

for (const { stage, reason } of reasonCases) {
  test(`a failure at stage '${stage}' sets Ready reason ${reason}`, () => {
    assert.equal(ready(failedStatus(firstSync(), failure(stage, 'boom')))?.reason, reason);
  });
}

test('the same failure on every retry yields the stored status again: no write, one history entry', async () => {
  let sync = stored(firstSync(), failedStatus(firstSync(), failure('render', 'kustomization.yaml: unknown field "resourcez"')));
  for (const minutes of [11, 12, 20, 90]) {
    const next = failedStatus(sync, failure('render', 'kustomization.yaml: unknown field "resourcez"', REV_B, at(minutes)));
    assert.deepEqual(normalized(next), sync.status, `retry after ${minutes} min`);
    assert.equal(await writesStatus(sync, next), false);
    sync = stored(sync, next);
  }
  assert.equal(sync.status?.history?.filter((record) => record.result === 'Failed').length, 1);
});

test('a different failure is written and added to history', async () => {
  const sync = stored(firstSync(), failedStatus(firstSync(), failure('render', 'bad yaml')));
  const next = failedStatus(sync, failure('apply', 'conflict with field manager kubectl', REV_B, at(12)));
  assert.equal(await writesStatus(sync, next), true);
  assert.equal(ready(next)?.reason, 'ApplyFailed');
  assert.equal(ready(next)?.lastTransitionTime, '2024-05-01T10:10:00Z', 'still False: the transition time stays');
  assert.deepEqual(
    next.history?.map((record) => `${record.result}:${record.message}`),
    [
      'Failed:apply failed: conflict with field manager kubectl',
      'Failed:render failed: bad yaml',
      'Succeeded:4 created, 0 updated, 0 corrected, 0 deleted',
    ],
  );
});

test('a failure before a revision is known (fetch) keeps the revisions and the sync state, and is filed under the last attempted revision', () => {
  const sync = firstSync();
  const status = failedStatus(sync, failure('fetch', 'repository not found', null));
  assert.equal(status.lastAppliedRevision, REV_A);
  assert.equal(status.lastAttemptedRevision, REV_A);
  assert.equal(status.sync, 'Synced');
  assert.equal(status.history?.[0]?.revision, REV_A);
  assert.equal(ready(status)?.reason, 'FetchFailed');
});

test('a failure on a GitSync that never synced reports an unknown sync state and revision', () => {
  const status = failedStatus(blank, failure('fetch', 'repository not found', null, T0));
  assert.equal(status.sync, 'Unknown');
  assert.equal(status.lastAppliedRevision, undefined);
  assert.equal(status.history?.[0]?.revision, 'unknown');
});

test('a failure while re-applying the applied revision keeps the sync state', () => {
  const sync = firstSync();
  assert.equal(failedStatus(sync, failure('apply', 'conflict', REV_A)).sync, 'Synced');
});

test('a failure part way through applying keeps what was applied in the inventory, sorted', () => {
  const status = failedStatus(firstSync(), { ...failure('apply', 'conflict'), inventory: [service, namespace] });
  assert.deepEqual(status.inventory, [namespace, service]);
});

test('a failure records a handled request', () => {
  const status = failedStatus(firstSync(), { ...failure('render', 'bad yaml'), requestedAt: '2024-05-01T10:09:00Z' });
  assert.equal(status.lastHandledRequestedAt, '2024-05-01T10:09:00Z');
});

test('success after a failure: Ready turns True again, the revision is applied and both are in history', () => {
  const failed = stored(firstSync(), failedStatus(firstSync(), failure('render', 'bad yaml')));
  const status = syncedStatus(
    failed,
    report({ commit: REV_B, outcome: outcome({ updated: ['Deployment shop/web'], unchanged: 3 }), now: at(20) }),
  );
  assert.equal(ready(status)?.status, 'True');
  assert.equal(ready(status)?.lastTransitionTime, '2024-05-01T10:20:00Z');
  assert.equal(status.lastAppliedRevision, REV_B);
  assert.equal(status.sync, 'Synced');
  assert.deepEqual(
    status.history?.map((record) => `${record.result}:${record.revision.slice(0, 1)}`),
    ['Succeeded:b', 'Failed:b', 'Succeeded:a'],
  );
});

test('waitingStatus: Ready False with the given reason, everything else kept; waiting on is free', async () => {
  const sync = firstSync();
  const status = waitingStatus(sync, 'DependencyNotReady', 'waiting for wren/platform', at(1));
  assert.deepEqual(ready(status), {
    type: 'Ready',
    status: 'False',
    reason: 'DependencyNotReady',
    message: 'waiting for wren/platform',
    observedGeneration: 4,
    lastTransitionTime: '2024-05-01T10:01:00Z',
  });
  const { conditions: _before, ...restBefore } = sync.status ?? {};
  const { conditions: _after, ...restAfter } = normalized(status);
  assert.deepEqual(restAfter, restBefore);

  const after = stored(sync, status);
  assert.equal(await writesStatus(after, waitingStatus(after, 'DependencyNotReady', 'waiting for wren/platform', at(30))), false);
});

test('waitingStatus follows the GitSync generation', () => {
  const changed = { ...firstSync(), metadata: { ...blank.metadata, generation: 5 } };
  const status = waitingStatus(changed, 'Suspended', 'spec.suspend is true: not syncing', at(1));
  assert.equal(status.observedGeneration, 5);
  assert.equal(ready(status)?.observedGeneration, 5);
});

test("Git's replicas of Canary-owned Deployments are recorded with where they went; none recorded, none listed", () => {
  const handed = [
    { name: 'web', namespace: 'shop', replicas: 4, primary: 'web-primary' },
    { name: 'api', namespace: 'shop', replicas: 2, ignoredBecause: "HorizontalPodAutoscaler api owns the primary's replicas" },
  ];
  const status = syncedStatus(blank, report({ canaryReplicas: handed }));
  assert.deepEqual(status.canaryReplicas, [handed[1], handed[0]], 'sorted by namespace/name');
  assert.equal(syncedStatus(blank, report()).canaryReplicas, undefined);
});
