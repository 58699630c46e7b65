// wren sync against the real API server: the GitSync objects it writes, without an operator to act on them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { GitSync } from '../../src/api/git-sync.ts';
import { REQUESTED_AT_ANNOTATION } from '../../src/gitsync/sync-request.ts';
import { GIT_SYNCS } from '../../src/kube/resource-types.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const URL_ = 'https://git.example/org/podinfo.git';
const OLD = '1'.repeat(40);
const GOOD = 'c0ffee' + '2'.repeat(34);
const BROKEN = 'dead' + '3'.repeat(36);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function wren(cluster: TestCluster, ...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [MAIN, ...args, '--kubeconfig', cluster.kubeconfigPath], {
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const getGitSync = (cluster: TestCluster, namespace: string, name: string) => cluster.client.get<GitSync>(GIT_SYNCS, namespace, name);

/** What the controller would have recorded: three syncs, the newest of which failed. */
async function writeHistory(cluster: TestCluster, namespace: string, name: string): Promise<void> {
  const time = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  await cluster.client.mergePatch(
    GIT_SYNCS,
    namespace,
    name,
    {
      status: {
        lastAppliedRevision: BROKEN,
        sync: 'Synced',
        health: 'Degraded',
        lastSyncTime: time(1),
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'Unhealthy',
            message: 'Deployment podinfo has 0 of 2 ready',
            lastTransitionTime: time(1),
          },
        ],
        history: [
          { revision: BROKEN, time: time(1), result: 'Succeeded', trigger: 'new revision', message: 'applied 3 objects' },
          { revision: GOOD, time: time(10), result: 'Succeeded', trigger: 'new revision' },
          { revision: OLD, time: time(20), result: 'Failed', trigger: 'new revision', message: 'render failed' },
        ],
      },
    },
    'status',
  );
}

test('wren sync upsert creates a GitSync, updates only its own fields, and reports no change', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster, 'sync');
  const created = await wren(
    cluster,
    'sync',
    'upsert',
    'podinfo',
    '-n',
    namespace,
    '--url',
    URL_,
    '--branch',
    'main',
    '--path',
    'deploy',
    '--prune=false',
    '--image',
    'podinfo=ghcr.io/org/podinfo:1.0.0',
  );
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout, `gitsync ${namespace}/podinfo created\n`);
  const first = await getGitSync(cluster, namespace, 'podinfo');
  assert.deepEqual(first.spec, {
    url: URL_,
    ref: { branch: 'main' },
    path: 'deploy',
    prune: false,
    images: [{ name: 'podinfo', newName: 'ghcr.io/org/podinfo', newTag: '1.0.0' }],
  });

  // Someone else's field: the CLI must leave it alone.
  await cluster.client.mergePatch(GIT_SYNCS, namespace, 'podinfo', { spec: { suspend: true } });
  const configured = await wren(
    cluster,
    'sync',
    'upsert',
    'podinfo',
    '-n',
    namespace,
    '--url',
    URL_,
    '--branch',
    'main',
    '--path',
    'deploy/prod',
    '--prune=false',
    '--image',
    'podinfo=ghcr.io/org/podinfo:1.0.0',
  );
  assert.equal(configured.stdout, `gitsync ${namespace}/podinfo configured\n`, configured.stderr);
  const second = await getGitSync(cluster, namespace, 'podinfo');
  assert.equal(second.spec.path, 'deploy/prod');
  assert.equal(second.spec.suspend, true);
  assert.equal(second.spec.prune, false);

  const unchanged = await wren(
    cluster,
    'sync',
    'upsert',
    'podinfo',
    '-n',
    namespace,
    '--url',
    URL_,
    '--branch',
    'main',
    '--path',
    'deploy/prod',
    '--prune=false',
    '--image',
    'podinfo=ghcr.io/org/podinfo:1.0.0',
  );
  assert.equal(unchanged.stdout, `gitsync ${namespace}/podinfo unchanged\n`, unchanged.stderr);
  assert.equal((await getGitSync(cluster, namespace, 'podinfo')).metadata?.resourceVersion, second.metadata?.resourceVersion);
});

test('wren sync upsert refuses a result that breaks a rule together with fields set by others', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster, 'sync');
  await cluster.client.create(GIT_SYNCS, {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'GitSync',
    metadata: { name: 'podinfo', namespace },
    spec: { url: URL_, ref: { branch: 'main' } },
  });
  const result = await wren(cluster, 'sync', 'upsert', 'podinfo', '-n', namespace, '--url', URL_, '--tag', 'v1.0.0');
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /spec\.ref \(--branch, --tag, --semver, --commit\): set one of branch, tag, semver, commit; got branch and tag/,
  );
  assert.deepEqual((await getGitSync(cluster, namespace, 'podinfo')).spec.ref, { branch: 'main' }, 'nothing was written');
});

test('wren sync now sets a new requested-at annotation; --wait gives up without an operator', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster, 'sync');
  await wren(cluster, 'sync', 'upsert', 'podinfo', '-n', namespace, '--url', URL_);
  const result = await wren(cluster, 'sync', 'now', 'podinfo', '-n', namespace);
  assert.equal(result.stdout, `requested a sync of gitsync ${namespace}/podinfo\n`, result.stderr);
  const first = (await getGitSync(cluster, namespace, 'podinfo')).metadata?.annotations?.[REQUESTED_AT_ANNOTATION];
  assert.ok(first && !Number.isNaN(Date.parse(first)), `an RFC3339 time, got ${first}`);

  const waited = await wren(cluster, 'sync', 'now', 'podinfo', '-n', namespace, '--wait', '--timeout', '1s');
  assert.equal(waited.code, 1);
  assert.match(waited.stderr, /has not handled the request yet/);
  const second = (await getGitSync(cluster, namespace, 'podinfo')).metadata?.annotations?.[REQUESTED_AT_ANNOTATION];
  assert.notEqual(second, first, 'each request is a new value');
});

test('wren sync now --wait reports the outcome once the request is handled', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster, 'sync');
  await wren(cluster, 'sync', 'upsert', 'podinfo', '-n', namespace, '--url', URL_);
  await writeHistory(cluster, namespace, 'podinfo');
  // Stand in for the controller: acknowledge the request as soon as it appears.
  const waiting = wren(cluster, 'sync', 'now', 'podinfo', '-n', namespace, '--wait');
  const requestedAt = await eventually(
    'the request annotation',
    async () => (await getGitSync(cluster, namespace, 'podinfo')).metadata?.annotations?.[REQUESTED_AT_ANNOTATION],
  );
  await cluster.client.mergePatch(GIT_SYNCS, namespace, 'podinfo', { status: { lastHandledRequestedAt: requestedAt } }, 'status');
  const result = await waiting;
  assert.equal(result.code, 1, 'Ready is False');
  assert.match(result.stdout, new RegExp(`Ready=False \\(Unhealthy\\) at ${BROKEN}: Deployment podinfo has 0 of 2 ready`));
});

test('wren sync rollback holds a GitSync at a history revision; resume clears it; status shows both', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster, 'sync');
  await wren(cluster, 'sync', 'upsert', 'podinfo', '-n', namespace, '--url', URL_, '--branch', 'main');
  await writeHistory(cluster, namespace, 'podinfo');

  const list = await wren(cluster, 'sync', 'status', '-n', namespace);
  assert.match(list.stdout, /^NAME +REVISION +SYNC +HEALTH +READY +LAST SYNC +MESSAGE$/m);
  assert.match(list.stdout, /^podinfo +dead333 +Synced +Degraded +False +\d+s +Deployment podinfo has 0 of 2 ready$/m);

  const unknown = await wren(cluster, 'sync', 'rollback', 'podinfo', 'abc', '-n', namespace);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, new RegExp(`revision abc is not in the history of ${namespace}/podinfo; known: dead333, c0ffee2, 1111111`));

  const rolledBack = await wren(cluster, 'sync', 'rollback', 'podinfo', '-n', namespace);
  assert.equal(rolledBack.code, 0, rolledBack.stderr);
  assert.match(rolledBack.stdout, /rolled back to c0ffee2/);
  assert.match(rolledBack.stdout, /auto-sync is paused until `wren sync resume podinfo/);
  assert.equal((await getGitSync(cluster, namespace, 'podinfo')).spec.rollbackTo, GOOD);

  const detail = await wren(cluster, 'sync', 'status', 'podinfo', '-n', namespace);
  assert.match(detail.stdout, /Auto-sync: +paused by a rollback: held at c0ffee2/);
  assert.match(detail.stdout, /^ {2}1111111 +\S+ +\S+ +Failed +new revision +render failed$/m);

  const byPrefix = await wren(cluster, 'sync', 'rollback', 'podinfo', '111', '-n', namespace);
  assert.equal(byPrefix.code, 0, byPrefix.stderr);
  assert.equal((await getGitSync(cluster, namespace, 'podinfo')).spec.rollbackTo, OLD);

  const resumed = await wren(cluster, 'sync', 'resume', 'podinfo', '-n', namespace);
  assert.match(resumed.stdout, /resumed: no longer held at 1111111, follows branch main again/);
  const after = await getGitSync(cluster, namespace, 'podinfo');
  assert.equal(after.spec.rollbackTo, undefined);
  assert.deepEqual(after.spec.ref, { branch: 'main' });
  const again = await wren(cluster, 'sync', 'resume', 'podinfo', '-n', namespace);
  assert.match(again.stdout, /is not paused by a rollback/);
});
