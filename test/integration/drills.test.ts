// Drills: break what Wren stands on in the middle of real work, then check that every run ended as it
// would have undisturbed. Each asserts the end state, never how long anything took.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CONFIG_MAPS, GIT_SYNCS, LEASES } from '../../src/kube/resource-types.ts';
import { getCanary } from '../helpers/canary-fixtures.ts';
import { assertFleetEndedRight, createFleet, releaseFleet } from '../helpers/canary-fleet.ts';
import { freshNamespace, killComponent, restartStoppedComponents, useCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { startGitRemote } from '../helpers/git-remote.ts';
import { configMapYaml, gitSyncFor, waitForApplied } from '../helpers/gitsync-fixtures.ts';
import { OperatorProcess, operatorFor } from '../helpers/operator-process.ts';
import { WebhookServer } from '../helpers/webhook-server.ts';

type Lease = KubeObject & { spec?: { holderIdentity?: string } };

test('API server outage: stopped for 30 s under 10 running canaries and a GitSync; every run ends right and the GitSync resyncs', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const hooks = await new WebhookServer().start(t);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const first = await remote.commit({ 'apps/settings.yaml': configMapYaml('settings', { color: 'blue' }) });
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(GIT_SYNCS, gitSyncFor('apps', namespace, remote.gitUrl, { path: 'apps', interval: '5s' }));
  await waitForApplied(cluster, namespace, 'apps', first);
  // The 30 s outage stalls the deployment controller and KWOK too (they talk to the API server), so pods come up late: a deadline of
  // several minutes keeps a slow recovery on a loaded machine from failing a good run (this drill is
  // about the operator, not about the progress deadline, which the 60 s default would test).
  const fleet = await createFleet(cluster, namespace, hooks, { good: 6, bad: 4 }, { interval: '3s' }, { progressDeadlineSeconds: 300 });
  await releaseFleet(cluster, namespace, fleet);
  await eventually('the runs to be under way', async () => {
    const phases = await Promise.all(
      [...fleet.good, ...fleet.bad].map(async (app) => (await getCanary(cluster, namespace, app)).status?.phase),
    );
    return phases.every((phase) => phase === 'Progressing');
  });

  await killComponent('kube-apiserver');
  try {
    // Git moves on while the cluster cannot be reached.
    const second = await remote.commit({ 'apps/settings.yaml': configMapYaml('settings', { color: 'green' }) });
    await sleep(30_000);
    await restartStoppedComponents(cluster);
    const synced = await waitForApplied(cluster, namespace, 'apps', second, 120_000);
    assert.equal(synced.status?.lastAppliedRevision, second);
  } finally {
    await restartStoppedComponents(cluster).catch(() => undefined);
  }
  const settings = await cluster.client.get<KubeObject & { data?: Record<string, string> }>(CONFIG_MAPS, namespace, 'settings');
  assert.deepEqual(settings.data, { color: 'green' });
  await assertFleetEndedRight(cluster, namespace, fleet);
});

test('leader loss under load: kill -9 the leader of two operators while 20 canaries run; the standby takes over and every run ends right', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const hooks = await new WebhookServer().start(t);
  const flags = ['--watch-namespace', namespace, '--lease-namespace', namespace, '--lease-duration', '6s'];
  const replicas = new Map(
    ['replica-a', 'replica-b'].map((identity) => [identity, new OperatorProcess(cluster.kubeconfigPath, flags, { POD_NAME: identity })]),
  );
  for (const replica of replicas.values()) t.after(() => replica.stop('SIGKILL'));
  const fleet = await createFleet(cluster, namespace, hooks, { good: 12, bad: 8 }, { interval: '3s' });
  const leader = (await cluster.client.get<Lease>(LEASES, namespace, 'wren-operator')).spec?.holderIdentity ?? '';
  const standby = [...replicas.keys()].find((identity) => identity !== leader) ?? '';
  assert.ok(replicas.has(leader), `the lease is held by one of the replicas (${leader})`);

  await releaseFleet(cluster, namespace, fleet);
  await eventually('some runs to have judged a step', async () => {
    const judged = await Promise.all(
      [...fleet.good, ...fleet.bad].map(async (app) => (await getCanary(cluster, namespace, app)).status?.iterations ?? 0),
    );
    return judged.some((iterations) => iterations >= 1);
  });
  await replicas.get(leader)?.stop('SIGKILL');
  const taken = await eventually('the standby to take the lease', async () => {
    const lease = await cluster.client.get<Lease>(LEASES, namespace, 'wren-operator');
    return lease.spec?.holderIdentity === standby ? lease : undefined;
  });
  assert.equal(taken.spec?.holderIdentity, standby);
  await assertFleetEndedRight(cluster, namespace, fleet);
  assert.equal(replicas.get(standby)?.running, true, 'the new leader never restarted');
});
