// The seam Argo CD + Flagger users fight with ignoreDifferences: one GitSync delivers a Deployment and
// its Canary, and a release runs to promotion while the sync loop keeps polling every two seconds.
// The sync loop must never revert the replicas the engine sets, never touch the generated objects,
// and never report OutOfSync.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import type { GitSync } from '../../src/api/git-sync.ts';
import { EVENTS, GIT_SYNCS } from '../../src/kube/resource-types.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { appDeployment, canaryFor, getDeployment, imageOf, waitForPhase } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { startGitRemote } from '../helpers/git-remote.ts';
import { getGitSync, gitSyncFor, waitForApplied } from '../helpers/gitsync-fixtures.ts';
import { operatorFor } from '../helpers/operator-process.ts';

const V1 = 'ghcr.io/example/podinfo:1.0.0';
const V2 = 'ghcr.io/example/podinfo:2.0.0';

function manifests(image: string): Record<string, string> {
  const { namespace: _deployment, ...deploymentMeta } = appDeployment('podinfo', '', image).metadata ?? {};
  const deployment = { ...appDeployment('podinfo', '', image), metadata: deploymentMeta };
  const canary = canaryFor('podinfo', '', { iterations: 3 });
  return {
    'podinfo/deployment.yaml': stringify(deployment),
    'podinfo/canary.yaml': stringify({ ...canary, metadata: { name: 'podinfo' } }),
  };
}

test('a GitSync delivers a Deployment and its Canary; a release is promoted without a revert or OutOfSync', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const first = await remote.commit(manifests(V1));
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(GIT_SYNCS, gitSyncFor('podinfo', namespace, remote.gitUrl, { path: 'podinfo', interval: '2s' }));
  await waitForApplied(cluster, namespace, 'podinfo', first);
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  assert.equal(
    (await getDeployment(cluster, namespace, 'podinfo-primary')).spec?.replicas,
    2,
    'the primary got the replicas Git asked for',
  );

  // Watch the GitSync for the whole release: any OutOfSync or correction is a fight.
  const seen: NonNullable<GitSync['status']>[] = [];
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      seen.push((await getGitSync(cluster, namespace, 'podinfo')).status ?? {});
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();

  const second = await remote.commit(manifests(V2));
  await waitForApplied(cluster, namespace, 'podinfo', second);
  await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded', 120_000);
  // Several more polls after promotion, when the engine has scaled the target back to zero.
  await new Promise((resolve) => setTimeout(resolve, 6000));
  watching = false;
  await watcher;

  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2, 'the new version was promoted');
  assert.equal((await getDeployment(cluster, namespace, 'podinfo')).spec?.replicas, 0, 'the target stays scaled to zero by the engine');
  assert.ok(seen.length > 20, `observed the GitSync ${seen.length} times`);
  assert.deepEqual(
    seen.filter((status) => status.sync !== 'Synced').map((status) => status.sync),
    [],
    'the GitSync never reported OutOfSync',
  );
  const final = await getGitSync(cluster, namespace, 'podinfo');
  assert.deepEqual(
    final.status?.history?.map((record) => `${record.revision.slice(0, 8)} ${record.trigger} ${record.result}`),
    [`${second.slice(0, 8)} new revision Succeeded`, `${first.slice(0, 8)} new revision Succeeded`],
    'no sync besides the two revisions: nothing was corrected',
  );
  const events = await cluster.client.list<KubeObject & { reason?: string; involvedObject?: { kind?: string } }>(EVENTS, namespace);
  assert.deepEqual(
    events.items.filter((event) => event.involvedObject?.kind === 'GitSync' && event.reason === 'DriftCorrected'),
    [],
  );
  assert.equal(final.status?.health, 'Healthy');
});

test('replicas changed in Git reach the primary of a Canary-owned Deployment, and the GitSync says where they went', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const withReplicas = (replicas: number) => {
    const files = manifests(V1);
    const deployment = appDeployment('podinfo', '', V1);
    const { namespace: _none, ...metadata } = deployment.metadata ?? {};
    files['podinfo/deployment.yaml'] = stringify({ ...deployment, metadata, spec: { ...deployment.spec, replicas } });
    return files;
  };
  const first = await remote.commit(withReplicas(2));
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(GIT_SYNCS, gitSyncFor('podinfo', namespace, remote.gitUrl, { path: 'podinfo', interval: '2s' }));
  await waitForApplied(cluster, namespace, 'podinfo', first);
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  assert.equal((await getDeployment(cluster, namespace, 'podinfo-primary')).spec?.replicas, 2);

  const scaled = await remote.commit(withReplicas(4));
  await waitForApplied(cluster, namespace, 'podinfo', scaled);
  const primary = await eventually('the primary to run 4 ready replicas', async () => {
    const current = await getDeployment(cluster, namespace, 'podinfo-primary');
    return current.spec?.replicas === 4 && current.status?.readyReplicas === 4 ? current : undefined;
  });
  assert.equal(imageOf(primary), V1, 'a scale is not a release');
  assert.equal((await getDeployment(cluster, namespace, 'podinfo')).spec?.replicas, 0, 'the target stays with the engine');
  const sync = await eventually('the GitSync to record the handed-over replicas', async () => {
    const current = await getGitSync(cluster, namespace, 'podinfo');
    return current.status?.canaryReplicas?.[0]?.replicas === 4 ? current : undefined;
  });
  assert.deepEqual(sync.status?.canaryReplicas, [{ name: 'podinfo', namespace, replicas: 4, primary: 'podinfo-primary' }]);
  assert.equal(sync.status?.sync, 'Synced');
  const canary = await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  assert.equal(canary.status?.phase, 'Initialized', 'no run was started by the scale');
});
