// Image quarantine with real parts only: a registry (Debian docker-registry), a config repository
// (git http-backend), the operator on the real control plane, and a webhook gate served by the test
// that fails the canary on demand. A tag whose canary failed is never chosen again: the ImagePolicy
// writes the last good tag back to Git, and goes on with newer tags; `wren image unquarantine` lifts it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import type { Canary } from '../../src/api/canary.ts';
import type { ImagePolicy } from '../../src/api/image-policy.ts';
import { requestReconcile } from '../../src/gitsync/sync-request.ts';
import { Informer } from '../../src/kube/informer.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CANARIES, EVENTS, GIT_SYNCS, IMAGE_POLICIES } from '../../src/kube/resource-types.ts';
import { createLogger } from '../../src/log.ts';
import { appDeployment, canaryFor, getCanary, getDeployment, imageOf, waitForPhase } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { startContainerRegistry, type ContainerRegistry } from '../helpers/container-registry.ts';
import { eventually } from '../helpers/eventually.ts';
import { startGitRemote, type GitRemote } from '../helpers/git-remote.ts';
import { gitSyncFor, waitForApplied } from '../helpers/gitsync-fixtures.ts';
import { getImagePolicy, imagePolicyFor, waitForPolicy } from '../helpers/image-policy-fixtures.ts';
import { operatorFor } from '../helpers/operator-process.ts';
import { WebhookServer } from '../helpers/webhook-server.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const GATE = '/gate';

interface Release {
  cluster: TestCluster;
  namespace: string;
  registry: ContainerRegistry;
  remote: GitRemote;
  hooks: WebhookServer;
  /** The image repository, 127.0.0.1:port/team/podinfo. */
  image: string;
  /** apps/deployment.yaml as first committed, at 1.0.0. */
  original: string;
  /** Every state of the Canary the watch delivered, in order. */
  canaryStates: Canary[];
}

type PolicyEvent = KubeObject & { type?: string; reason?: string; message?: string; involvedObject?: { kind?: string } };

/** The Deployment as a person writes it, with the setter marker beside the image. */
function deploymentFile(namespace: string, image: string): string {
  const { namespace: _omitted, ...metadata } = appDeployment('podinfo', '', image).metadata ?? {};
  const yaml = stringify({ ...appDeployment('podinfo', '', image), metadata });
  const marked = yaml.replace(`image: ${image}\n`, `image: ${image} # {"$imagepolicy": "${namespace}:podinfo"}\n`);
  assert.notEqual(marked, yaml, 'the fixture has the setter marker');
  return marked;
}

/**
 * 1.0.0 released from Git: the GitSync applied it, the Canary initialized, and the ImagePolicy settled
 * on it. The Canary's analysis asks the test's gate once a second and fails at the first refusal.
 */
async function releaseFirstVersion(t: TestContext): Promise<Release> {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster, 'quar');
  const registry = await startContainerRegistry();
  t.after(() => registry.close());
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const hooks = await new WebhookServer().start(t);
  const image = `${registry.host}/team/podinfo`;
  await registry.pushImage('team/podinfo', '1.0.0');
  const original = deploymentFile(namespace, `${image}:1.0.0`);
  const canary = canaryFor('podinfo', '', { iterations: 3, threshold: 1, webhooks: [{ name: 'gate', url: hooks.url(GATE) }] });
  const first = await remote.commit({
    'apps/deployment.yaml': original,
    'apps/canary.yaml': stringify({ ...canary, metadata: { name: 'podinfo' } }),
  });

  const canaryStates: Canary[] = [];
  const canaries = new Informer<Canary>(cluster.client, CANARIES, createLogger('silent'), { namespace });
  canaries.on((event) => canaryStates.push(event.object));
  canaries.start();
  t.after(() => canaries.stop());

  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(GIT_SYNCS, gitSyncFor('config', namespace, remote.httpUrl, { path: 'apps', interval: '1h' }));
  await waitForApplied(cluster, namespace, 'config', first);
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  // An hour between scans: a push is announced as the registry webhook does, and the failed canary
  // must wake the policy itself.
  await cluster.client.create(
    IMAGE_POLICIES,
    imagePolicyFor('podinfo', namespace, { image, policy: { semver: { range: '>=1.0.0' } }, interval: '1h' }),
  );
  await waitForPolicy(cluster, namespace, 'podinfo', 'to settle on 1.0.0', (status) => status.chosen?.tag === '1.0.0');
  return { cluster, namespace, registry, remote, hooks, image, original, canaryStates };
}

/** Pushes a tag and asks the policy to scan now, as the registry webhook does on a push. */
async function pushAndAnnounce(release: Release, tag: string): Promise<void> {
  await release.registry.pushImage('team/podinfo', tag);
  await requestReconcile(release.cluster.client, IMAGE_POLICIES, release.namespace, 'podinfo');
}

/** 2.0.0 is pushed while the gate refuses: its canary fails and the policy quarantines it. */
async function failSecondVersion(release: Release): Promise<ImagePolicy> {
  const { cluster, namespace, hooks } = release;
  hooks.answer(GATE, 500, 'refused by the test');
  await pushAndAnnounce(release, '2.0.0');
  return waitForPolicy(
    cluster,
    namespace,
    'podinfo',
    'to quarantine 2.0.0 and write 1.0.0 back',
    (status) => !!status.quarantined?.some((entry) => entry.tag === '2.0.0') && status.chosen?.tag === '1.0.0',
    120_000,
  );
}

async function policyEvents(cluster: TestCluster, namespace: string, reason: string): Promise<PolicyEvent[]> {
  const events = await cluster.client.list<PolicyEvent>(EVENTS, namespace);
  return events.items.filter((event) => event.involvedObject?.kind === 'ImagePolicy' && event.reason === reason);
}

async function primaryImage(release: Release): Promise<string | undefined> {
  return imageOf(await getDeployment(release.cluster, release.namespace, 'podinfo-primary'));
}

/** Waits until the Canary has promoted `tag`: Succeeded, and the primary runs it. */
async function waitForPromoted(release: Release, tag: string): Promise<void> {
  await eventually(
    `the canary to promote ${tag}`,
    async () => {
      const canary = await getCanary(release.cluster, release.namespace, 'podinfo');
      return canary.status?.phase === 'Succeeded' && (await primaryImage(release)) === `${release.image}:${tag}`;
    },
    { timeoutMs: 120_000 },
  );
}

async function wren(cluster: TestCluster, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
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

test('an image whose canary failed is quarantined, the policy writes the last good tag back, and a newer tag is released', async (t) => {
  const release = await releaseFirstVersion(t);
  const { cluster, namespace, remote, hooks, image } = release;

  const policy = await failSecondVersion(release);
  const failed = release.canaryStates.find(
    (canary) => canary.status?.phase === 'Failed' && canary.status.release?.images?.[0]?.image === `${image}:2.0.0`,
  );
  assert.ok(failed, `the Canary failed 2.0.0; it went through ${release.canaryStates.map((canary) => canary.status?.phase).join(' → ')}`);
  assert.equal(failed.status?.reason, 'FailedChecks');
  assert.equal(failed.status?.release?.gitSync, `${namespace}/config`);
  assert.equal(failed.status?.release?.images?.[0]?.imagePolicy, 'podinfo', 'the release record names the policy that chose 2.0.0');
  const failedRevision = failed.status?.release?.revision as string;
  assert.match(
    (await remote.commitInfo(failedRevision)).message,
    /^Update .* to 2\.0\.0/,
    'the failed revision is the write-back of 2.0.0',
  );

  assert.equal(policy.status?.quarantined?.length, 1);
  const entry = policy.status?.quarantined?.[0];
  assert.equal(entry?.tag, '2.0.0');
  assert.equal(entry?.canary, `${namespace}/podinfo`);
  assert.equal(entry?.revision, failedRevision);
  assert.match(entry?.reason ?? '', /^FailedChecks: 1 failed checks reached the threshold of 1/);
  assert.equal(entry?.liftedAt, undefined);
  assert.ok(
    policy.status?.skippedTags?.includes(`2.0.0: quarantined: canary ${namespace}/podinfo failed`),
    `skippedTags names the quarantine: ${JSON.stringify(policy.status?.skippedTags)}`,
  );

  // The last good tag is back in Git, byte for byte, applied, and the primary never left it.
  assert.equal(await remote.show('apps/deployment.yaml'), release.original);
  const revert = policy.status?.lastWriteBack?.commit as string;
  assert.equal(await remote.head(), revert);
  assert.match((await remote.commitInfo(revert)).message, /^Update .* to 1\.0\.0\n\n.*picked 1\.0\.0 .*, was 2\.0\.0\./);
  await waitForApplied(cluster, namespace, 'config', revert);
  assert.equal(await primaryImage(release), `${image}:1.0.0`);
  const quarantinedEvents = await policyEvents(cluster, namespace, 'Quarantined');
  assert.equal(quarantinedEvents.length, 1, 'one Quarantined event for one new entry');
  assert.equal(quarantinedEvents[0]?.type, 'Warning');
  assert.match(
    quarantinedEvents[0]?.message ?? '',
    new RegExp(`:2\\.0\\.0 quarantined: canary ${namespace}/podinfo failed at revision ${failedRevision.slice(0, 12)} \\(FailedChecks: `),
  );

  // The gate lets the next release through: 3.0.0 is chosen over the quarantined 2.0.0 and promoted.
  hooks.answer(GATE, 200);
  await pushAndAnnounce(release, '3.0.0');
  const next = await waitForPolicy(
    cluster,
    namespace,
    'podinfo',
    'to write back 3.0.0',
    (status) => status.chosen?.tag === '3.0.0' && !!status.lastWriteBack?.commit && status.lastWriteBack.commit !== revert,
  );
  await waitForApplied(cluster, namespace, 'config', next.status?.lastWriteBack?.commit as string);
  await waitForPromoted(release, '3.0.0');
  assert.deepEqual(
    (await getImagePolicy(cluster, namespace, 'podinfo')).status?.quarantined?.map((quarantined) => quarantined.tag),
    ['2.0.0'],
    '2.0.0 stays quarantined',
  );
});

test('wren image unquarantine lifts a quarantined tag, which the policy then chooses again; a tag not quarantined exits 1', async (t) => {
  const release = await releaseFirstVersion(t);
  const { cluster, namespace, hooks } = release;
  const policy = await failSecondVersion(release);
  const failedRevision = policy.status?.quarantined?.[0]?.revision as string;
  hooks.answer(GATE, 200);

  const missing = await wren(cluster, 'image', 'unquarantine', 'podinfo', '9.9.9', '-n', namespace);
  assert.equal(missing.code, 1, missing.stderr);
  assert.match(
    missing.stderr,
    new RegExp(`^9\\.9\\.9 is not quarantined by imagepolicy ${namespace}/podinfo: nothing lifted \\(quarantined: 2\\.0\\.0\\)`),
  );
  const ignored = await policyEvents(cluster, namespace, 'NotQuarantined');
  assert.equal(ignored.length, 1);
  assert.match(ignored[0]?.message ?? '', /9\.9\.9 is not quarantined \(quarantined: 2\.0\.0\)/);
  assert.equal((await getImagePolicy(cluster, namespace, 'podinfo')).status?.quarantined?.[0]?.liftedAt, undefined, 'nothing lifted');

  const lifted = await wren(cluster, 'image', 'unquarantine', 'podinfo', '2.0.0', '-n', namespace, '--timeout', '90s');
  assert.equal(lifted.code, 0, lifted.stderr);
  assert.match(
    lifted.stdout,
    new RegExp(
      `^lifted 2\\.0\\.0 from quarantine of imagepolicy ${namespace}/podinfo: canary ${namespace}/podinfo failed at revision ${failedRevision.slice(0, 12)} \\(FailedChecks: `,
    ),
  );
  assert.match(lifted.stdout, /podinfo may choose 2\.0\.0 again/);
  const after = await getImagePolicy(cluster, namespace, 'podinfo');
  assert.equal(after.status?.quarantined?.length, 1, 'the lifted entry stays, so the same failure is not quarantined again');
  assert.ok(after.status?.quarantined?.[0]?.liftedAt, 'liftedAt is set');
  assert.match(after.status?.lastHandledUnquarantine ?? '', /^2\.0\.0@\d{4}-/);
  assert.equal((await policyEvents(cluster, namespace, 'Unquarantined')).length, 1);

  // Lifted, 2.0.0 is the best tag again: written back, released through the open gate, promoted.
  const chosen = await waitForPolicy(
    cluster,
    namespace,
    'podinfo',
    'to write 2.0.0 back again',
    (status) => status.chosen?.tag === '2.0.0',
  );
  await waitForApplied(cluster, namespace, 'config', chosen.status?.lastWriteBack?.commit as string);
  await waitForPromoted(release, '2.0.0');
  assert.deepEqual(
    (await getImagePolicy(cluster, namespace, 'podinfo')).status?.quarantined?.map((entry) => !!entry.liftedAt),
    [true],
    'no new quarantine',
  );
});
