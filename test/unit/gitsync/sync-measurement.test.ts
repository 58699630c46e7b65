// What a GitSync sync counts for in the metrics, as a table: objects applied by operation, pruned,
// drift corrections, and the stage a failure is counted under. Then the revision info series with a
// real prom-client registry: one series per GitSync, the old revision dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { GitSyncMetrics } from '../../../src/gitsync/gitsync-metrics.ts';
import type { SyncOutcome } from '../../../src/gitsync/object-applier.ts';
import { SyncError } from '../../../src/gitsync/sync-error.ts';
import { measureSync, type SyncMeasurement, type SyncRun } from '../../../src/gitsync/sync-measurement.ts';

const outcome = (changes: Partial<SyncOutcome> = {}): SyncOutcome => ({
  created: [],
  updated: [],
  healed: [],
  drifted: [],
  deleted: [],
  unchanged: 0,
  inventory: [],
  ...changes,
});

const cases: [string, SyncRun, SyncMeasurement][] = [
  [
    'a sync that changed nothing counts a success and no objects',
    { outcome: outcome({ unchanged: 4 }) },
    { result: 'success', applied: { created: 0, updated: 0, corrected: 0 }, pruned: 0, driftCorrections: 0 },
  ],
  [
    'created, updated and pruned objects are counted apart',
    { outcome: outcome({ created: ['a', 'b'], updated: ['c'], deleted: ['d'], unchanged: 1 }) },
    { result: 'success', applied: { created: 2, updated: 1, corrected: 0 }, pruned: 1, driftCorrections: 0 },
  ],
  [
    'objects put back after drift count as applied (corrected) and as drift corrections',
    { outcome: outcome({ healed: ['x', 'y'] }) },
    { result: 'success', applied: { created: 0, updated: 0, corrected: 2 }, pruned: 0, driftCorrections: 2 },
  ],
  [
    'drift left in place (selfHeal off) is not a correction',
    { outcome: outcome({ drifted: ['x'] }) },
    { result: 'success', applied: { created: 0, updated: 0, corrected: 0 }, pruned: 0, driftCorrections: 0 },
  ],
  [
    'a failure before the applier is counted under its stage',
    { error: new SyncError('render', 'kustomize build failed') },
    { result: 'failure', applied: { created: 0, updated: 0, corrected: 0 }, pruned: 0, driftCorrections: 0, failedStage: 'render' },
  ],
  [
    'an applier that failed part way counts what it applied and the stage it failed at',
    { outcome: outcome({ created: ['a'], error: new SyncError('prune', 'forbidden') }) },
    { result: 'failure', applied: { created: 1, updated: 0, corrected: 0 }, pruned: 0, driftCorrections: 0, failedStage: 'prune' },
  ],
];

for (const [name, run, expected] of cases) {
  test(`measureSync: ${name}`, () => {
    assert.deepEqual(measureSync(run), expected);
  });
}

test('GitSyncMetrics: the applied revision info keeps one series per GitSync, dropping the old revision, and none once forgotten', async () => {
  const registry = new Registry();
  const metrics = new GitSyncMetrics(registry);
  const series = async () =>
    (await registry.getSingleMetric('wren_gitsync_applied_revision_info')!.get()).values.map((value) => ({
      labels: value.labels,
      value: value.value,
    }));
  metrics.appliedRevision('apps', 'web', 'aaa111');
  metrics.appliedRevision('apps', 'web', 'bbb222');
  metrics.appliedRevision('apps', 'other', 'ccc333');
  assert.deepEqual(await series(), [
    { labels: { name: 'web', namespace: 'apps', revision: 'bbb222' }, value: 1 },
    { labels: { name: 'other', namespace: 'apps', revision: 'ccc333' }, value: 1 },
  ]);
  metrics.forget('apps/web');
  assert.deepEqual(await series(), [{ labels: { name: 'other', namespace: 'apps', revision: 'ccc333' }, value: 1 }]);
});
