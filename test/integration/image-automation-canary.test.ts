// The path the issue asks for, with real parts only: a developer pushes an image to a registry (the
// Debian docker-registry, Basic auth); the ImagePolicy picks it, commits it to the config repository
// (git http-backend) at the setter marker, leaving every other byte alone; the GitSync applies the
// commit; the Canary releases the new version and promotes it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { EVENTS, GIT_SYNCS, IMAGE_POLICIES } from '../../src/kube/resource-types.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { appDeployment, canaryFor, getDeployment, imageOf, waitForPhase } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster } from '../helpers/cluster.ts';
import { startContainerRegistry } from '../helpers/container-registry.ts';
import { startGitRemote } from '../helpers/git-remote.ts';
import { gitSyncFor, waitForApplied } from '../helpers/gitsync-fixtures.ts';
import { createDockerConfigSecret, imagePolicyFor, waitForPolicy } from '../helpers/image-policy-fixtures.ts';
import { operatorFor } from '../helpers/operator-process.ts';

/** The Deployment as a person writes it: a comment on top, the marker beside the image. */
function deploymentFile(namespace: string, image: string): string {
  const { namespace: _omitted, ...metadata } = appDeployment('podinfo', '', image).metadata ?? {};
  const yaml = stringify({ ...appDeployment('podinfo', '', image), metadata });
  const marked = yaml.replace(`image: ${image}\n`, `image: ${image} # {"$imagepolicy": "${namespace}:podinfo"}\n`);
  assert.notEqual(marked, yaml, 'the fixture has the setter marker');
  return `# podinfo, released as a canary\n# (the tag below is written by Wren)\n${marked}`;
}

test('an image push becomes a write-back commit, the GitSync applies it and the Canary promotes it', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const registry = await startContainerRegistry({ auth: 'basic' });
  t.after(() => registry.close());
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const image = `${registry.host}/team/podinfo`;
  await registry.pushImage('team/podinfo', '1.0.0');
  const original = deploymentFile(namespace, `${image}:1.0.0`);
  const canary = canaryFor('podinfo', '', { iterations: 3 });
  const first = await remote.commit({
    'apps/deployment.yaml': original,
    'apps/canary.yaml': stringify({ ...canary, metadata: { name: 'podinfo' } }),
  });

  operatorFor(t, cluster.kubeconfigPath, namespace);
  await createDockerConfigSecret(
    cluster,
    namespace,
    'registry',
    registry.host,
    registry.credentials as { username: string; password: string },
  );
  await cluster.client.create(GIT_SYNCS, gitSyncFor('config', namespace, remote.httpUrl, { path: 'apps', interval: '1h' }));
  await waitForApplied(cluster, namespace, 'config', first);
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await cluster.client.create(
    IMAGE_POLICIES,
    imagePolicyFor('podinfo', namespace, { image, policy: { semver: { range: '>=1.0.0' } }, secretRef: { name: 'registry' } }),
  );
  await waitForPolicy(cluster, namespace, 'podinfo', 'to settle on 1.0.0', (status) => status.chosen?.tag === '1.0.0');
  assert.equal(await remote.head(), first, 'the version in Git already was the newest: no commit');

  // The developer's CI pushes a release, a release candidate and a moving tag.
  const pushed = await registry.pushImage('team/podinfo', '1.1.0');
  await registry.pushImage('team/podinfo', '2.0.0-rc.1');
  await registry.pushImage('team/podinfo', 'latest');
  const policy = await waitForPolicy(
    cluster,
    namespace,
    'podinfo',
    'to write back 1.1.0',
    (status) => status.chosen?.tag === '1.1.0' && !!status.lastWriteBack?.commit,
  );
  const commit = policy.status?.lastWriteBack?.commit as string;
  assert.equal(policy.status?.latest?.digest, pushed.digest);
  assert.equal(await remote.head(), commit);
  assert.equal(
    await remote.show('apps/deployment.yaml'),
    original.replace(`${image}:1.0.0`, `${image}:1.1.0`),
    'only the tag changed, byte for byte',
  );
  const info = await remote.commitInfo();
  assert.deepEqual([info.author, info.email, info.parents], ['Wren', 'wren@wren.dev', [first]]);
  assert.match(info.message, new RegExp(`^Update ${image.replace(/[.]/g, '\\.')} to 1\\.1\\.0`));

  // The GitSync is asked to apply the commit at once (its interval is an hour) and the canary runs.
  await waitForApplied(cluster, namespace, 'config', commit);
  await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded', 120_000);
  assert.equal(
    imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')),
    `${image}:1.1.0`,
    'the canary promoted the new version',
  );

  const events = await cluster.client.list<KubeObject & { reason?: string; message?: string; involvedObject?: { kind?: string } }>(
    EVENTS,
    namespace,
  );
  const updates = events.items.filter((event) => event.involvedObject?.kind === 'ImagePolicy' && event.reason === 'ImageUpdated');
  assert.equal(updates.length, 1);
  assert.match(
    updates[0]?.message ?? '',
    new RegExp(`: 1\\.0\\.0 \\(sha256:[0-9a-f]+\\) → 1\\.1\\.0 \\(sha256:[0-9a-f]+\\), commit ${commit.slice(0, 12)} on main`),
  );
  const everything = JSON.stringify(events.items);
  assert.ok(!everything.includes(registry.credentials?.password as string), 'no registry password in events');
});
