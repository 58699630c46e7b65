// CI waits for the verdict of a commit: a GitSync delivers a Deployment and its Canary from a real Git
// remote, the Canary's webhook check is served by the test on loopback, and `wren wait` and the
// operator's GET /api/v1/revisions/SHA must say what became of each commit: released, failed with
// the check that failed, or no verdict in time.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { stringify } from 'yaml';
import { GIT_SYNCS } from '../../src/kube/resource-types.ts';
import type { RevisionVerdict } from '../../src/release/revision-verdict.ts';
import { appDeployment, canaryFor, getCanary, getDeployment, imageOf, waitForPhase } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { startGitRemote, type GitRemote } from '../helpers/git-remote.ts';
import { gitSyncFor, waitForApplied } from '../helpers/gitsync-fixtures.ts';
import { metricValue } from '../helpers/metrics.ts';
import { operatorFor, type OperatorProcess } from '../helpers/operator-process.ts';
import { WebhookServer } from '../helpers/webhook-server.ts';
import { runWren } from '../helpers/wren-cli.ts';

const V1 = 'ghcr.io/example/podinfo:1.0.0';
const V2 = 'ghcr.io/example/podinfo:2.0.0';
const V3 = 'ghcr.io/example/podinfo:3.0.0';
const NEVER_PUSHED = '0123456789abcdef0123456789abcdef01234567';

function manifests(image: string, smokeUrl: string): Record<string, string> {
  const { namespace: _deployment, ...deploymentMeta } = appDeployment('podinfo', '', image).metadata ?? {};
  const deployment = { ...appDeployment('podinfo', '', image), metadata: deploymentMeta };
  const canary = canaryFor('podinfo', '', { threshold: 1, iterations: 2, webhooks: [{ name: 'smoke', url: smokeUrl }] });
  return {
    'podinfo/deployment.yaml': stringify(deployment),
    'podinfo/canary.yaml': stringify({ ...canary, metadata: { name: 'podinfo' } }),
  };
}

interface Delivery {
  cluster: TestCluster;
  namespace: string;
  remote: GitRemote;
  hooks: WebhookServer;
  operator: OperatorProcess;
  /** The commit of V1, applied. */
  first: string;
  wait(...args: string[]): ReturnType<typeof runWren>;
  verdict(path: string): Promise<{ status: number; body: RevisionVerdict & { error?: string; message: string } }>;
}

/** A GitSync delivering podinfo V1 and its Canary (smoke check on the test's webhook server), initialized. */
async function delivery(t: TestContext): Promise<Delivery> {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const hooks = await new WebhookServer().start(t);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const first = await remote.commit(manifests(V1, hooks.url('/smoke')));
  const operator = operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(GIT_SYNCS, gitSyncFor('podinfo', namespace, remote.gitUrl, { path: 'podinfo', interval: '2s' }));
  await waitForApplied(cluster, namespace, 'podinfo', first);
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  return {
    cluster,
    namespace,
    remote,
    hooks,
    operator,
    first,
    wait: (...args) => runWren(cluster.kubeconfigPath, 'wait', '-n', namespace, ...args),
    verdict: async (path) => {
      const { status, body } = await operator.get(path);
      return { status, body: JSON.parse(body) as RevisionVerdict & { error?: string; message: string } };
    },
  };
}

test('a commit never pushed: wren wait gives up at --timeout with exit 2; the endpoint answers 404 for it, 400 for a malformed SHA, and a standby answers too', async (t) => {
  const { cluster, namespace, first, wait, verdict } = await delivery(t);
  const never = await wait('--revision', NEVER_PUSHED, '--gitsync', 'podinfo', '--timeout', '3s');
  assert.equal(never.code, 2, never.stderr);
  assert.match(
    never.stderr,
    new RegExp(`no verdict for ${NEVER_PUSHED} within 3s: gitsync ${namespace}/podinfo has not applied 0123456 yet`),
  );
  assert.match(never.stdout, /^waiting: gitsync .* has not applied 0123456 yet/m);
  const canaryOnly = await wait('--revision', NEVER_PUSHED.slice(0, 7), '--canary', 'podinfo', '--timeout', '2s');
  assert.equal(canaryOnly.code, 2, canaryOnly.stderr);
  assert.match(canaryOnly.stderr, /has not started a run of 0123456/);
  const gone = await wait('--revision', NEVER_PUSHED, '--gitsync', 'missing', '--timeout', '3s');
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, new RegExp(`gitsync ${namespace}/missing not found`));

  const unknown = await verdict(`/api/v1/revisions/${NEVER_PUSHED}`);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error, 'UnknownRevision');
  const named = await verdict(`/api/v1/revisions/${NEVER_PUSHED}?gitsync=${namespace}/podinfo`);
  assert.equal(named.status, 200);
  assert.equal(named.body.state, 'pending');
  const missing = await verdict(`/api/v1/revisions/${NEVER_PUSHED}?gitsync=${namespace}/missing`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error, 'GitSyncNotFound');
  const malformed = await verdict('/api/v1/revisions/not-a-sha');
  assert.equal(malformed.status, 400);
  assert.match(malformed.body.message, /give a commit SHA, 7 to 40 hex digits/);

  const standby = operatorFor(t, cluster.kubeconfigPath, namespace);
  await eventually('the standby to be ready (caches filled)', async () => (await standby.get('/readyz')).status === 200);
  assert.equal(metricValue((await standby.get('/metrics')).body, 'wren_leader'), 0, 'it is a standby');
  const fromStandby = await standby.get(`/api/v1/revisions/${first.slice(0, 7)}?gitsync=${namespace}/podinfo`);
  assert.equal(fromStandby.status, 200);
  const known = JSON.parse(fromStandby.body) as RevisionVerdict;
  assert.equal(known.revision, first);
  assert.deepEqual(
    known.gitSyncs.map((sync) => [sync.gitSync, sync.applied]),
    [[`${namespace}/podinfo`, true]],
  );
  assert.equal((await standby.get(`/api/v1/revisions/${NEVER_PUSHED}`)).status, 404);
});

test("wren wait --canary: a good commit's run succeeds (exit 0), a bad commit's run fails its check (exit 1, the check printed)", async (t) => {
  const { cluster, namespace, remote, hooks, wait } = await delivery(t);
  const good = await remote.commit(manifests(V2, hooks.url('/smoke')));
  const released = await wait('--revision', good.slice(0, 7), '--canary', 'podinfo', '--timeout', '120s');
  assert.equal(released.code, 0, `${released.stdout}\n${released.stderr}`);
  assert.match(released.stdout, new RegExp(`^${namespace}/podinfo\\s+${good.slice(0, 7)}\\s+Succeeded\\s+succeeded`, 'm'));
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2, 'exit 0 came after the promotion');

  hooks.answer('/smoke', 500, 'smoke test failed: /api/info answered 503');
  const bad = await remote.commit(manifests(V3, hooks.url('/smoke')));
  const failed = await wait('--revision', bad, '--canary', 'podinfo', '--timeout', '120s');
  assert.equal(failed.code, 1, `${failed.stdout}\n${failed.stderr}`);
  assert.match(failed.stdout, new RegExp(`^${namespace}/podinfo\\s+${bad.slice(0, 7)}\\s+Failed\\s+failed`, 'm'));
  assert.match(failed.stdout, /^failed checks of .*podinfo:$/m);
  assert.match(failed.stdout, /^\s+smoke\s+webhook \(rollout\)\s+-\s+-\s+FAIL.*HTTP 500: smoke test failed/m);
  const canary = await getCanary(cluster, namespace, 'podinfo');
  assert.equal(canary.status?.phase, 'Failed');
  assert.equal(canary.status?.release?.revision, bad);
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2, 'the bad version was not promoted');
});

// Needs GitSync status.releases, filled by the GitSync controller (the other half of this feature).
test('wren wait --gitsync and GET /api/v1/revisions: a good commit exits 0, a bad one exits 1 with its failed check, and the good verdict stands after', async (t) => {
  const { cluster, namespace, remote, hooks, wait, verdict } = await delivery(t);
  const good = await remote.commit(manifests(V2, hooks.url('/smoke')));
  const released = await wait('--revision', good.slice(0, 7), '--gitsync', 'podinfo', '--timeout', '120s');
  assert.equal(released.code, 0, `${released.stdout}\n${released.stderr}`);
  assert.match(released.stdout, new RegExp(`^gitsync ${namespace}/podinfo applied ${good.slice(0, 7)}$`, 'm'));
  assert.match(released.stdout, new RegExp(`^${namespace}/podinfo\\s+${good.slice(0, 7)}\\s+Succeeded\\s+succeeded`, 'm'));
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2, 'exit 0 came after the promotion');
  const goodVerdict = await verdict(`/api/v1/revisions/${good}?gitsync=${namespace}/podinfo`);
  assert.equal(goodVerdict.status, 200);
  assert.equal(goodVerdict.body.state, 'succeeded');
  assert.deepEqual(
    goodVerdict.body.canaries.map((canary) => [canary.canary, canary.phase]),
    [[`${namespace}/podinfo`, 'Succeeded']],
  );

  hooks.answer('/smoke', 500, 'smoke test failed: /api/info answered 503');
  const bad = await remote.commit(manifests(V3, hooks.url('/smoke')));
  const failed = await wait('--revision', bad, '--gitsync', 'podinfo', '--timeout', '120s');
  assert.equal(failed.code, 1, `${failed.stdout}\n${failed.stderr}`);
  assert.match(failed.stdout, new RegExp(`^${namespace}/podinfo\\s+${bad.slice(0, 7)}\\s+Failed\\s+failed`, 'm'));
  assert.match(failed.stdout, /^\s+smoke\s+webhook \(rollout\)\s+-\s+-\s+FAIL.*HTTP 500: smoke test failed/m);
  assert.match(failed.stdout, new RegExp(`^revision ${bad.slice(0, 7)} failed: canary ${namespace}/podinfo failed to release`, 'm'));
  assert.equal((await getCanary(cluster, namespace, 'podinfo')).status?.phase, 'Failed');

  const badVerdict = await verdict(`/api/v1/revisions/${bad.slice(0, 8)}`);
  assert.equal(badVerdict.status, 200);
  assert.equal(badVerdict.body.state, 'failed');
  assert.equal(badVerdict.body.reason, 'CanaryFailed');
  assert.deepEqual(
    badVerdict.body.canaries.map((canary) => [canary.canary, canary.state, canary.failedChecks.map((check) => check.name)]),
    [[`${namespace}/podinfo`, 'failed', ['smoke']]],
  );
  const stands = await wait('--revision', good, '--gitsync', 'podinfo', '--timeout', '30s');
  assert.equal(stands.code, 0, `a later commit does not change a finished verdict: ${stands.stdout}\n${stands.stderr}`);
  assert.equal((await verdict(`/api/v1/revisions/${good}`)).body.state, 'succeeded');
});
