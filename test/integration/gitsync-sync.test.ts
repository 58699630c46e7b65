// The Git sync loop against real parts: a git daemon on loopback, the local control plane, the
// operator as a child process. First sync, new commits, prune, drift, and refusal before apply.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCondition } from '../../src/api/conditions.ts';
import { isNotFound } from '../../src/kube/api-error.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CONFIG_MAPS, DEPLOYMENTS, GIT_SYNCS } from '../../src/kube/resource-types.ts';
import { freshNamespace, useCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { startGitRemote } from '../helpers/git-remote.ts';
import { configMapYaml, deploymentYaml, getGitSync, gitSyncFor, waitForApplied, waitForFailure } from '../helpers/gitsync-fixtures.ts';
import { operatorFor } from '../helpers/operator-process.ts';

type ConfigMap = KubeObject & { data?: Record<string, string> };

test('first sync applies the directory; a new commit updates, adds and prunes', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const first = await remote.commit({
    'app/config.yaml': configMapYaml('settings', { color: 'blue' }),
    'app/nested/more.yaml': `${configMapYaml('extra', { a: '1' })}---\n${configMapYaml('second-doc', { b: '2' })}`,
    'README.md': 'not a manifest',
  });
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(GIT_SYNCS, gitSyncFor('app', namespace, remote.gitUrl, { path: 'app' }));

  const synced = await waitForApplied(cluster, namespace, 'app', first);
  assert.equal((await cluster.client.get<ConfigMap>(CONFIG_MAPS, namespace, 'settings')).data?.color, 'blue');
  assert.equal((await cluster.client.get<ConfigMap>(CONFIG_MAPS, namespace, 'second-doc')).data?.b, '2');
  assert.deepEqual(
    synced.status?.inventory?.map((entry) => entry.name),
    ['extra', 'second-doc', 'settings'],
  );
  assert.equal(synced.status?.sync, 'Synced');
  assert.equal(synced.status?.history?.[0]?.result, 'Succeeded');

  const second = await remote.commit({
    'app/config.yaml': configMapYaml('settings', { color: 'green' }),
    'app/nested/more.yaml': configMapYaml('extra', { a: '1' }),
  });
  const resynced = await waitForApplied(cluster, namespace, 'app', second);
  assert.equal((await cluster.client.get<ConfigMap>(CONFIG_MAPS, namespace, 'settings')).data?.color, 'green');
  await assert.rejects(cluster.client.get(CONFIG_MAPS, namespace, 'second-doc'), isNotFound, 'the object that left Git was pruned');
  assert.deepEqual(resynced.status?.diff, { created: 0, updated: 1, deleted: 1, unchanged: 1 });
  assert.deepEqual(
    resynced.status?.history?.map((record) => record.revision),
    [second, first],
  );
});

test('drift is corrected with selfHeal and only reported without it', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const commit = await remote.commit({
    'deploy.yaml': deploymentYaml('web', 'nginx:1.27', 2),
    'cm.yaml': configMapYaml('kept', { mode: 'git' }),
  });
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(GIT_SYNCS, gitSyncFor('healing', namespace, remote.gitUrl, { interval: '1h' }));
  await waitForApplied(cluster, namespace, 'healing', commit);

  await cluster.client.mergePatch(DEPLOYMENTS, namespace, 'web', { spec: { replicas: 5 } });
  await cluster.client.mergePatch(CONFIG_MAPS, namespace, 'kept', { data: { mode: 'hand-edited', added: 'by someone' } });
  await eventually('the drift to be corrected', async () => {
    const deployment = await cluster.client.get<KubeObject & { spec?: { replicas?: number } }>(DEPLOYMENTS, namespace, 'web');
    const configMap = await cluster.client.get<ConfigMap>(CONFIG_MAPS, namespace, 'kept');
    return deployment.spec?.replicas === 2 && configMap.data?.mode === 'git';
  });
  const healed = await getGitSync(cluster, namespace, 'healing');
  assert.equal(healed.status?.history?.[0]?.trigger, 'drift');
  assert.equal(
    (await cluster.client.get<ConfigMap>(CONFIG_MAPS, namespace, 'kept')).data?.added,
    'by someone',
    'a field Git does not set is not drift',
  );

  await cluster.client.mergePatch(GIT_SYNCS, namespace, 'healing', { spec: { selfHeal: false } });
  await eventually(
    'the spec change to be observed',
    async () => (await getGitSync(cluster, namespace, 'healing')).status?.observedGeneration === 2,
  );
  await cluster.client.mergePatch(CONFIG_MAPS, namespace, 'kept', { data: { mode: 'hand-edited' } });
  const reported = await eventually('the drift to be reported', async () => {
    const sync = await getGitSync(cluster, namespace, 'healing');
    return sync.status?.sync === 'OutOfSync' ? sync : undefined;
  });
  assert.match(reported.status?.diff?.drifted?.[0] ?? '', /ConfigMap .*\/kept \(\.data\.mode\)/);
  assert.equal(
    (await cluster.client.get<ConfigMap>(CONFIG_MAPS, namespace, 'kept')).data?.mode,
    'hand-edited',
    'without selfHeal nothing is reverted',
  );
});

test('a revision the API server would refuse applies nothing and names the file and object', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const good = await remote.commit({ 'a.yaml': configMapYaml('first', { v: '1' }) });
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(GIT_SYNCS, gitSyncFor('guarded', namespace, remote.gitUrl));
  await waitForApplied(cluster, namespace, 'guarded', good);

  const bad = await remote.commit({
    'a.yaml': configMapYaml('first', { v: '2' }),
    'b.yaml': configMapYaml('brand-new', { v: '1' }),
    'broken.yaml': deploymentYaml('broken', 'nginx:1.27').replace('replicas: 2', 'replicas: many'),
  });
  const failed = await waitForFailure(cluster, namespace, 'guarded', 'DryRunFailed');
  const message = findCondition(failed.status?.conditions, 'Ready')?.message ?? '';
  assert.match(message, /broken\.yaml/);
  assert.match(message, /Deployment .*\/broken/);
  assert.equal(failed.status?.lastAppliedRevision, good);
  assert.equal(failed.status?.lastAttemptedRevision, bad);
  assert.equal(failed.status?.sync, 'OutOfSync');
  assert.equal((await cluster.client.get<ConfigMap>(CONFIG_MAPS, namespace, 'first')).data?.v, '1', 'the good object was not updated');
  await assert.rejects(cluster.client.get(CONFIG_MAPS, namespace, 'brand-new'), isNotFound, 'nothing new was created');

  const unknownKind = await remote.commit({ 'broken.yaml': 'apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: g\n' });
  const refused = await eventually('the unknown kind to be refused', async () => {
    const sync = await getGitSync(cluster, namespace, 'guarded');
    return sync.status?.lastAttemptedRevision === unknownKind &&
      findCondition(sync.status?.conditions, 'Ready')?.reason === 'ValidateFailed'
      ? sync
      : undefined;
  });
  assert.match(findCondition(refused.status?.conditions, 'Ready')?.message ?? '', /broken\.yaml.*Gizmo/);

  const malformed = await remote.commit({ 'broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n' });
  const unparsable = await eventually('malformed YAML to be refused', async () => {
    const sync = await getGitSync(cluster, namespace, 'guarded');
    return sync.status?.lastAttemptedRevision === malformed && findCondition(sync.status?.conditions, 'Ready')?.reason === 'RenderFailed'
      ? sync
      : undefined;
  });
  assert.match(findCondition(unparsable.status?.conditions, 'Ready')?.message ?? '', /broken\.yaml/);
  assert.equal((await cluster.client.get<ConfigMap>(CONFIG_MAPS, namespace, 'first')).data?.v, '1');

  const fixed = await remote.commit({ 'broken.yaml': null });
  await waitForApplied(cluster, namespace, 'guarded', fixed);
  assert.equal((await cluster.client.get<ConfigMap>(CONFIG_MAPS, namespace, 'brand-new')).data?.v, '1');
});
