// The closed loop between Git and the canary engine: a GitSync delivers an app and its Canary, a
// commit whose canary fails is reverted in Git (on the synced branch, or on a branch of its own for a
// pull request), exactly once even when the operator dies right after the failure, and a user's
// commit that lands while the revert is pushed is kept. Real git remotes, real control plane.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test, type TestContext } from 'node:test';
import { stringify } from 'yaml';
import type { Canary } from '../../src/api/canary.ts';
import type { GitSync } from '../../src/api/git-sync.ts';
import { findCondition } from '../../src/api/conditions.ts';
import { GitWriteBack, type WriteBackRequest } from '../../src/imagepolicy/git-write-back.ts';
import type { KubeClient } from '../../src/kube/client.ts';
import { GIT_SYNCS } from '../../src/kube/resource-types.ts';
import { GitRepositories } from '../../src/gitsync/source/repositories.ts';
import { GitCanaryReverter, revertBranchName } from '../../src/release/git-revert.ts';
import { appDeployment, canaryFor, getCanary, getDeployment, imageOf, waitForPhase } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { startGitRemote, type GitRemote } from '../helpers/git-remote.ts';
import { getGitSync, gitSyncFor, waitForApplied } from '../helpers/gitsync-fixtures.ts';
import { OperatorProcess, operatorFor } from '../helpers/operator-process.ts';
import { WebhookServer } from '../helpers/webhook-server.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const V1 = 'ghcr.io/example/podinfo:1.0.0';
const V2 = 'ghcr.io/example/podinfo:2.0.0';

function manifests(image: string, smokeUrl: string, logLevel?: string): Record<string, string> {
  const deployment = appDeployment('podinfo', '', image);
  const { namespace: _namespace, ...deploymentMeta } = deployment.metadata ?? {};
  if (logLevel) deployment.spec!.template!.spec!.containers![0]!.env = [{ name: 'LOG_LEVEL', value: logLevel }];
  const canary = canaryFor('podinfo', '', { iterations: 3, threshold: 1, webhooks: [{ name: 'smoke', type: 'rollout', url: smokeUrl }] });
  return {
    'podinfo/deployment.yaml': stringify({ ...deployment, metadata: deploymentMeta }),
    'podinfo/canary.yaml': stringify({ ...canary, metadata: { name: 'podinfo' } }),
  };
}

/** Commits between `from` (exclusive) and the head of `branch` whose message reverts `revision`. */
async function revertCommits(remote: GitRemote, from: string, revision: string, branch = 'main'): Promise<string[]> {
  const found: string[] = [];
  for (let commit = await remote.head(branch); commit !== from;) {
    const info = await remote.commitInfo(commit);
    if (info.message.includes(`Wren-Reverts: ${revision}`)) found.push(commit);
    const parent = info.parents[0];
    if (!parent) break;
    commit = parent;
  }
  return found;
}

interface Delivery {
  cluster: TestCluster;
  namespace: string;
  remote: GitRemote;
  hooks: WebhookServer;
  first: string;
}

/** v1 delivered by a GitSync with `onCanaryFailure`, its Canary initialized; the smoke test then starts failing. */
async function deliverFirstVersion(
  t: TestContext,
  onCanaryFailure: GitSync['spec']['onCanaryFailure'],
  operator: 'managed' | 'manual' = 'managed',
): Promise<Delivery> {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const hooks = await new WebhookServer().start(t);
  const first = await remote.commit(manifests(V1, hooks.url('/smoke')), 'podinfo 1.0.0');
  if (operator === 'managed') operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(
    GIT_SYNCS,
    gitSyncFor('podinfo', namespace, remote.gitUrl, { path: 'podinfo', interval: '2s', ...(onCanaryFailure ? { onCanaryFailure } : {}) }),
  );
  if (operator === 'managed') {
    await waitForApplied(cluster, namespace, 'podinfo', first);
    await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  }
  hooks.answer('/smoke', 500, 'smoke test: 3 of 10 requests failed');
  return { cluster, namespace, remote, hooks, first };
}

test('a failed canary is reverted in Git: one revert commit names the failed check, the GitSync applies it and no second canary runs', async (t) => {
  const { cluster, namespace, remote, hooks } = await deliverFirstVersion(t, { revert: 'commit' });
  const bad = await remote.commit(manifests(V2, hooks.url('/smoke')), 'podinfo 2.0.0');
  const failed = await waitForPhase(cluster, namespace, 'podinfo', 'Failed', 120_000);
  assert.equal(failed.status?.release?.revision, bad, "the canary's release record names the commit that started it");
  assert.equal(failed.status?.release?.gitSync, `${namespace}/podinfo`);

  // From the failure on, the canary must never run again: the revert matches the primary.
  const phases: string[] = [];
  let watching = true;
  t.after(() => (watching = false));
  const watcher = (async () => {
    while (watching) {
      phases.push((await getCanary(cluster, namespace, 'podinfo')).status?.phase ?? '');
      await sleep(200);
    }
  })();

  const [revert] = await eventually('the revert commit on main', async () => {
    const found = await revertCommits(remote, bad, bad);
    return found.length > 0 ? found : undefined;
  });
  assert.ok(revert);
  const message = (await remote.commitInfo(revert)).message;
  assert.match(message, /^Revert podinfo to ghcr\.io\/example\/podinfo:1\.0\.0: canary failed/);
  assert.match(message, /- smoke \(webhook\): .*smoke test: 3 of 10 requests failed/, 'the message names the failed check');
  assert.match(await remote.show('podinfo/deployment.yaml'), /image: ghcr\.io\/example\/podinfo:1\.0\.0/);

  const synced = await eventually('the GitSync to apply the revert', async () => {
    const sync = await getGitSync(cluster, namespace, 'podinfo');
    return sync.status?.lastAppliedRevision === revert && sync.status.releases?.[0]?.revision === revert ? sync : undefined;
  });
  await eventually('the revert to be recognised as nothing to release', async () => {
    const entries = (await getGitSync(cluster, namespace, 'podinfo')).status?.releases ?? [];
    return entries.find((entry) => entry.revision === revert)?.phase === 'NotReleased' ? entries : undefined;
  });
  await sleep(5000); // several more polls and canary intervals
  watching = false;
  await watcher;

  assert.deepEqual(
    phases.filter((phase) => phase !== 'Failed' && phase !== 'Initialized'),
    [],
    'no second canary started for the revert',
  );
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V1, 'the primary still runs v1');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo')), V1, 'the target is back at v1');
  assert.deepEqual(await revertCommits(remote, bad, bad), [revert], 'exactly one revert commit');
  const final = await getGitSync(cluster, namespace, 'podinfo');
  const badEntry = final.status?.releases?.find((entry) => entry.revision === bad);
  assert.equal(badEntry?.phase, 'Failed', "the GitSync shows the failure of v2's commit");
  assert.equal(badEntry?.revert?.commit, revert);
  assert.equal(badEntry?.revert?.branch, 'main');
  assert.equal(final.status?.history?.[0]?.revision, revert);
  assert.equal(findCondition(final.status?.conditions, 'Ready')?.status, 'True', 'healthy again once the revert is applied');
  assert.ok(synced);
});

test('with the operator killed right after the failure, exactly one revert commit is pushed', async (t) => {
  const { cluster, namespace, remote, hooks } = await deliverFirstVersion(t, { revert: 'commit' }, 'manual');
  let operator = new OperatorProcess(cluster.kubeconfigPath, ['--watch-namespace', namespace, '--lease-namespace', namespace]);
  t.after(() => operator.stop('SIGKILL'));
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  const bad = await remote.commit(manifests(V2, hooks.url('/smoke')), 'podinfo 2.0.0');
  await eventually(
    'the canary of v2 to fail',
    async () => ((await getCanary(cluster, namespace, 'podinfo')).status?.phase === 'Failed' ? true : undefined),
    { timeoutMs: 120_000, intervalMs: 50 },
  );
  await operator.stop('SIGKILL');
  const pushedBeforeDeath = (await revertCommits(remote, bad, bad)).length;
  t.diagnostic(`revert commits when the operator died: ${pushedBeforeDeath}`);
  operator = new OperatorProcess(cluster.kubeconfigPath, ['--watch-namespace', namespace, '--lease-namespace', namespace]);

  const revert = await eventually('the GitSync to record the revert', async () => {
    const sync = await getGitSync(cluster, namespace, 'podinfo');
    const entry = sync.status?.releases?.find((candidate) => candidate.revision === bad);
    return entry?.revert ? entry.revert : undefined;
  });
  await eventually('the GitSync to apply the revert', async () => {
    const sync = await getGitSync(cluster, namespace, 'podinfo');
    return sync.status?.lastAppliedRevision !== bad && sync.status?.releases?.[0]?.phase === 'NotReleased' ? sync : undefined;
  });
  await sleep(5000);
  const reverts = await revertCommits(remote, bad, bad);
  assert.equal(reverts.length, 1, `exactly one revert commit (found ${reverts.join(', ')})`);
  assert.equal(revert.error, undefined);
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V1);
});

test('revert: branch pushes the revert to a branch of its own for a pull request; the synced branch and the GitSync stay at the failed commit, Degraded', async (t) => {
  const { cluster, namespace, remote, hooks } = await deliverFirstVersion(t, { revert: 'branch' });
  const bad = await remote.commit(manifests(V2, hooks.url('/smoke')), 'podinfo 2.0.0');
  await waitForPhase(cluster, namespace, 'podinfo', 'Failed', 120_000);
  const branch = revertBranchName('podinfo', bad);
  const sync = await eventually('the GitSync to record the revert branch', async () => {
    const current = await getGitSync(cluster, namespace, 'podinfo');
    const entry = current.status?.releases?.find((candidate) => candidate.revision === bad);
    return entry?.revert?.commit ? current : undefined;
  });
  const entry = sync.status?.releases?.find((candidate) => candidate.revision === bad);
  assert.equal(entry?.revert?.branch, branch);
  assert.equal(await remote.head(branch), entry?.revert?.commit);
  assert.deepEqual((await remote.commitInfo(branch)).parents, [bad], 'the revert branch starts at the failed commit');
  assert.match(await remote.show('podinfo/deployment.yaml', branch), /image: ghcr\.io\/example\/podinfo:1\.0\.0/);
  assert.equal(await remote.head('main'), bad, 'the synced branch is left to the team');
  const ready = findCondition(sync.status?.conditions, 'Ready');
  assert.equal(ready?.status, 'False');
  assert.equal(ready?.reason, 'CanaryFailed');
  assert.match(
    ready?.message ?? '',
    new RegExp(`canary podinfo failed revision ${bad.slice(0, 12)}: FailedChecks: .*reverted in [0-9a-f]{12} on ${branch}`),
  );
  assert.equal(sync.status?.health, 'Degraded');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V1);
});

test('a user commit that lands while the revert is pushed is kept: the revert is made again on top of it', async (t) => {
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const bad = await remote.commit(manifests(V2, 'http://127.0.0.1:9/smoke'), 'podinfo 2.0.0');
  const cacheDir = mkdtempSync(join(tmpdir(), 'wren-revert-'));
  let raced = false;
  // The real writer, with a user pushing to main between Wren's checkout and its push.
  class RacedWriteBack extends GitWriteBack {
    override write(request: WriteBackRequest) {
      return super.write({
        ...request,
        edit: async (workTree, session) => {
          if (!raced) {
            raced = true;
            await remote.commit({ 'podinfo/configmap.yaml': 'kind: ConfigMap\n' }, 'a user commit');
          }
          return request.edit(workTree, session);
        },
      });
    }
  }
  const reverter = new GitCanaryReverter(
    {} as KubeClient, // no secretRef: the remote is read without credentials
    new GitRepositories({ cacheDir, git: 'git' }),
    new RacedWriteBack({ cacheDir }),
  );
  const sync = gitSyncFor('podinfo', 'apps', remote.gitUrl, { path: 'podinfo', onCanaryFailure: { revert: 'commit' } });
  const canary = {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'apps' },
    spec: { targetRef: { name: 'podinfo' } },
    status: {
      phase: 'Failed',
      reason: 'FailedChecks',
      release: { gitSync: 'apps/podinfo', revision: bad, images: [{ container: 'app', image: V2, primaryImage: V1 }] },
    },
  } as unknown as Canary;
  const entry = { canary: 'podinfo', namespace: 'apps', revision: bad, phase: 'Failed' as const, time: '2026-12-01T00:00:00Z' };
  const outcome = await reverter.revert(sync, entry, canary);
  assert.ok('commit' in outcome && outcome.commit, JSON.stringify(outcome));
  assert.equal(await remote.head(), outcome.commit);
  assert.equal((await remote.commitInfo(`${outcome.commit}~1`)).message, 'a user commit', "the user's commit is under the revert");
  assert.equal(await remote.show('podinfo/configmap.yaml'), 'kind: ConfigMap\n');
  assert.match(await remote.show('podinfo/deployment.yaml'), /image: ghcr\.io\/example\/podinfo:1\.0\.0/);
  const again = await reverter.revert(sync, entry, canary);
  assert.deepEqual(again, { branch: 'main', files: [] }, 'a second revert finds Git reverted and pushes nothing');
  assert.equal(await remote.head(), outcome.commit);
});

test('a failed release that changed no image is undone with git revert of its commit, which touched only the app', async (t) => {
  const { cluster, namespace, remote, hooks } = await deliverFirstVersion(t, { revert: 'commit' });
  const bad = await remote.commit(manifests(V1, hooks.url('/smoke'), 'debug'), 'podinfo: debug logging');
  const failed = await waitForPhase(cluster, namespace, 'podinfo', 'Failed', 120_000);
  assert.equal(failed.status?.release?.revision, bad);
  const [revert] = await eventually('the revert commit on main', async () => {
    const found = await revertCommits(remote, bad, bad);
    return found.length > 0 ? found : undefined;
  });
  assert.ok(revert);
  assert.match((await remote.commitInfo(revert)).message, new RegExp(`^Revert podinfo to before ${bad.slice(0, 12)}: canary failed`));
  assert.doesNotMatch(await remote.show('podinfo/deployment.yaml'), /LOG_LEVEL/, 'the change is undone');
  await eventually('the GitSync to apply the revert, with nothing to release', async () => {
    const sync = await getGitSync(cluster, namespace, 'podinfo');
    const entry = sync.status?.releases?.find((candidate) => candidate.revision === revert);
    return sync.status?.lastAppliedRevision === revert && entry?.phase === 'NotReleased' ? sync : undefined;
  });
  const entry = (await getGitSync(cluster, namespace, 'podinfo')).status?.releases?.find((candidate) => candidate.revision === bad);
  assert.equal(entry?.revert?.commit, revert);
  assert.deepEqual(entry?.revert?.files, ['podinfo/deployment.yaml']);
  assert.equal((await getDeployment(cluster, namespace, 'podinfo')).spec?.template?.spec?.containers?.[0]?.env, undefined);
});
