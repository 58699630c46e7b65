// Every policy and every write-back target against real parts: the Debian docker-registry behind a
// token server (Bearer auth) that notifies Wren's registry webhook, a git remote the policies push to
// at the same time, and the control plane. Untouched bytes of each file stay as they were.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestReconcile } from '../../src/gitsync/sync-request.ts';
import { CONFIG_MAPS, GIT_SYNCS, IMAGE_POLICIES, SECRETS } from '../../src/kube/resource-types.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { freshNamespace, useCluster } from '../helpers/cluster.ts';
import { startContainerRegistry } from '../helpers/container-registry.ts';
import { eventually } from '../helpers/eventually.ts';
import { startGitRemote } from '../helpers/git-remote.ts';
import { getGitSync, gitSyncFor, waitForApplied } from '../helpers/gitsync-fixtures.ts';
import {
  createDockerConfigSecret,
  getImagePolicy,
  imagePolicyFor,
  waitForPolicy,
  waitForPolicyProblem,
} from '../helpers/image-policy-fixtures.ts';
import { operatorFor } from '../helpers/operator-process.ts';

const WEBHOOK_TOKEN = 'registry-hook-token';

test('each policy picks its version and writes it to its target; the registry webhook triggers a scan; a dead registry keeps the choice', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  await cluster.client.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'wren-registry-webhook', namespace },
    stringData: { token: WEBHOOK_TOKEN },
  } as never);
  const operator = operatorFor(t, cluster.kubeconfigPath, namespace);
  const port = await operator.httpPort();
  const registry = await startContainerRegistry({
    auth: 'token',
    notifications: { url: `http://127.0.0.1:${port}/hooks/registry`, headers: { Authorization: `Bearer ${WEBHOOK_TOKEN}` } },
  });
  let registryClosed = false;
  t.after(() => (registryClosed ? undefined : registry.close()));
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const repo = (name: string) => `${registry.host}/team/${name}`;

  for (const tag of [
    'main-aaaaaaa-1700000000',
    'main-bbbbbbb-1700000500',
    'main-ccccccc-1699999999',
    'feature-ddddddd-1800000000',
    'main-eeeeeee-soon',
  ])
    await registry.pushImage('team/seed', tag);
  const mainDigest = (await registry.pushImage('team/digest', 'main')).digest;
  await registry.pushImage('team/build', 'b1', {
    platforms: ['linux/amd64', 'linux/arm64'],
    createdByPlatform: { 'linux/amd64': new Date('2026-03-01T00:00:00Z'), 'linux/arm64': new Date('2026-01-01T00:00:00Z') },
  });
  await registry.pushImage('team/build', 'b2', {
    platforms: ['linux/amd64', 'linux/arm64'],
    createdByPlatform: { 'linux/amd64': new Date('2026-01-01T00:00:00Z'), 'linux/arm64': new Date('2026-02-01T00:00:00Z') },
  });
  for (const tag of ['v1', 'v2', 'v3-rc1']) await registry.pushImage('team/alpha', tag);
  for (const tag of ['1.0.0', '1.4.2', '2.0.0']) await registry.pushImage('team/web', tag);

  const files = {
    'deploy/images.yaml': [
      '# images the platform team pins',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: images   # spacing kept',
      'data:',
      `  seed: "main-aaaaaaa-1700000000" # {"$imagepolicy": "${namespace}:seed:tag"}`,
      `  digest: '${repo('digest')}:main' # {"$imagepolicy":"${namespace}:digest"}`,
      `  other: "untouched"   # {"$imagepolicy": "elsewhere:seed:tag"}`,
      '',
    ].join('\n'),
    'config/kustomization.yaml': [
      '# built images',
      'resources: []',
      'images:',
      `  - name: ${repo('build')}`,
      '    newTag: b0 # first build',
      '  - name: nginx',
      '    newTag: "1.27"',
      '',
    ].join('\n'),
    'config/values.yaml': ['image:', `  repository: ${repo('alpha')}`, '  tag: v1     # alpha', 'replicas: 2', ''].join('\n'),
  };
  const first = await remote.commit(files, 'initial');
  await createDockerConfigSecret(
    cluster,
    namespace,
    'registry',
    registry.host,
    registry.credentials as { username: string; password: string },
  );
  const userImage = { name: 'busybox', newTag: '1.36' };
  await cluster.client.create(
    GIT_SYNCS,
    gitSyncFor('config', namespace, remote.gitUrl, { path: 'deploy', interval: '1h', images: [userImage] }),
  );
  await waitForApplied(cluster, namespace, 'config', first);

  const common = { secretRef: { name: 'registry' } };
  await Promise.all(
    [
      imagePolicyFor('seed', namespace, {
        ...common,
        image: repo('seed'),
        policy: { numerical: {} },
        allowTags: '^main-',
        filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' },
      }),
      imagePolicyFor('digest', namespace, { ...common, image: repo('digest'), policy: { digest: { tag: 'main' } }, interval: '1h' }),
      imagePolicyFor('build', namespace, {
        ...common,
        image: repo('build'),
        policy: { newestBuild: {} },
        platform: 'linux/arm64',
        writeBack: { path: 'config', kustomization: {} },
      }),
      imagePolicyFor('alpha', namespace, {
        ...common,
        image: repo('alpha'),
        policy: { alphabetical: {} },
        ignoreTags: ['*-rc*'],
        writeBack: { path: 'config', helmValues: [{ file: 'values.yaml', key: 'image.tag', part: 'tag' }] },
      }),
      imagePolicyFor('web', namespace, {
        ...common,
        image: repo('web'),
        policy: { semver: { range: '^1.0.0' } },
        writeBack: { method: 'override' },
      }),
    ].map((policy) => cluster.client.create(IMAGE_POLICIES, policy)),
  );

  // Four policies push to one branch at once; those that lose the race rebase and push again.
  const seed = await waitForPolicy(
    cluster,
    namespace,
    'seed',
    'to pick the newest main- build',
    (status) => status.chosen?.tag === 'main-bbbbbbb-1700000500',
  );
  assert.ok(
    seed.status?.skippedTags?.some((line) => line.startsWith('feature-ddddddd-1800000000')),
    'a tag outside allowTags is skipped',
  );
  assert.ok(
    seed.status?.skippedTags?.some((line) => line.startsWith('main-eeeeeee-soon')),
    'a tag the filter cannot read is skipped, not fatal',
  );
  await waitForPolicy(cluster, namespace, 'digest', 'to pin the digest of main', (status) => status.chosen?.digest === mainDigest);
  await waitForPolicy(cluster, namespace, 'build', 'to pick the newest arm64 build', (status) => status.chosen?.tag === 'b2');
  const alpha = await waitForPolicy(cluster, namespace, 'alpha', 'to pick v2', (status) => status.chosen?.tag === 'v2');
  assert.ok(alpha.status?.skippedTags?.some((line) => line.startsWith('v3-rc1')));
  await waitForPolicy(cluster, namespace, 'web', 'to override 1.4.2', (status) => status.chosen?.tag === '1.4.2');

  assert.equal(
    await remote.show('deploy/images.yaml'),
    files['deploy/images.yaml']
      .replace('"main-aaaaaaa-1700000000"', '"main-bbbbbbb-1700000500"')
      .replace(`'${repo('digest')}:main'`, `'${repo('digest')}:main@${mainDigest}'`),
  );
  assert.equal(await remote.show('config/kustomization.yaml'), files['config/kustomization.yaml'].replace('newTag: b0 #', 'newTag: b2 #'));
  assert.equal(await remote.show('config/values.yaml'), files['config/values.yaml'].replace('tag: v1     #', 'tag: v2     #'));

  const sync = await eventually('the GitSync to apply the write-backs and hold both image overrides', async () => {
    const current = await getGitSync(cluster, namespace, 'config');
    return current.status?.lastAppliedRevision === (await remote.head()) && (current.spec.images ?? []).length === 2 ? current : undefined;
  });
  assert.deepEqual(sync.spec.images, [userImage, { name: repo('web'), newTag: '1.4.2' }], "the user's own override is kept");
  const configMap = await cluster.client.get<KubeObject & { data?: Record<string, string> }>(CONFIG_MAPS, namespace, 'images');
  assert.equal(configMap.data?.seed, 'main-bbbbbbb-1700000500');
  assert.equal(configMap.data?.other, 'untouched');

  // A forged delivery changes nothing; the registry's own notification of a push makes the digest
  // policy (interval: 1h) scan at once.
  const forged = await fetch(`http://127.0.0.1:${port}/hooks/registry`, {
    method: 'POST',
    headers: { Authorization: 'Bearer wrong', 'Content-Type': 'application/json' },
    body: JSON.stringify({ repository: repo('digest') }),
  });
  assert.equal(forged.status, 401);
  const moved = (await registry.pushImage('team/digest', 'main')).digest;
  assert.notEqual(moved, mainDigest);
  await waitForPolicy(
    cluster,
    namespace,
    'digest',
    'to follow main to its new digest',
    (status) => status.chosen?.digest === moved,
    30_000,
  );
  assert.match(await remote.show('deploy/images.yaml'), new RegExp(`'${repo('digest').replace(/[.]/g, '\\.')}:main@${moved}'`));

  // The registry goes away: the policy says so and keeps what it chose.
  await registry.close();
  registryClosed = true;
  await requestReconcile(cluster.client, IMAGE_POLICIES, namespace, 'build');
  const failing = await waitForPolicyProblem(cluster, namespace, 'build', 'RegistryError');
  assert.equal(failing.status?.chosen?.tag, 'b2');
  assert.match(failing.status?.conditions?.find((condition) => condition.type === 'Ready')?.message ?? '', /keeping b2/);
  const logs = JSON.stringify(operator.logs);
  assert.ok(!logs.includes(registry.credentials?.password as string) && !logs.includes(WEBHOOK_TOKEN), 'no secret in the operator log');
  assert.equal((await getImagePolicy(cluster, namespace, 'build')).status?.lastWriteBack?.files?.[0], 'config/kustomization.yaml');
});
