// Two operator replicas: exactly one reconciles; when it dies, the other takes over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CANARIES, LEASES, NAMESPACES } from '../../src/kube/resource-types.ts';
import { invalidCanary } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { metricValue } from '../helpers/metrics.ts';
import { OperatorProcess, operatorFor } from '../helpers/operator-process.ts';
import { serviceAccountKubeconfig } from '../helpers/service-account.ts';

type Lease = KubeObject & { spec?: { holderIdentity?: string; leaseTransitions?: number } };
type Reported = KubeObject & { status?: { conditions?: { reason: string }[] } };

async function isLeader(operator: OperatorProcess): Promise<boolean> {
  return metricValue((await operator.get('/metrics')).body, 'wren_leader') === 1;
}

test('exactly one of two replicas leads, and the standby takes over when the leader dies', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const flags = ['--watch-namespace', namespace, '--lease-namespace', namespace, '--lease-duration', '6s'];
  const replicas = ['replica-a', 'replica-b'].map((identity) => new OperatorProcess(cluster.kubeconfigPath, flags, { POD_NAME: identity }));
  for (const replica of replicas) t.after(() => replica.stop());

  const lease = await eventually('a leader to be elected', async () => {
    const current = await cluster.client.get<Lease>(LEASES, namespace, 'wren-operator');
    return current.spec?.holderIdentity ? current : undefined;
  });
  const leaderIndex = replicas.findIndex((_, index) => ['replica-a', 'replica-b'][index] === lease.spec?.holderIdentity);
  assert.ok(leaderIndex >= 0, `holder ${lease.spec?.holderIdentity} is one of the replicas`);
  const leader = replicas[leaderIndex] as OperatorProcess;
  const standby = replicas[1 - leaderIndex] as OperatorProcess;
  await eventually('the standby to be ready (caches warm, leadership known)', async () => (await standby.get('/readyz')).status === 200);
  assert.equal(await isLeader(leader), true);
  assert.equal(await isLeader(standby), false);

  await cluster.client.create(CANARIES, invalidCanary('first', namespace));
  await eventually(
    'the leader to reconcile',
    async () => (await cluster.client.get<Reported>(CANARIES, namespace, 'first')).status?.conditions?.length,
  );
  const standbyMetrics = (await standby.get('/metrics')).body;
  assert.equal(metricValue(standbyMetrics, 'wren_reconcile_total'), 0, 'the standby reconciled nothing');

  await leader.stop('SIGKILL');
  const taken = await eventually(
    'the standby to take over the lease',
    async () => {
      const current = await cluster.client.get<Lease>(LEASES, namespace, 'wren-operator');
      return current.spec?.holderIdentity !== lease.spec?.holderIdentity ? current : undefined;
    },
    { timeoutMs: 60_000 },
  );
  assert.equal(taken.spec?.leaseTransitions, (lease.spec?.leaseTransitions ?? 0) + 1);
  assert.equal(await isLeader(standby), true);

  await cluster.client.create(CANARIES, invalidCanary('second', namespace));
  const reason = await eventually(
    'the new leader to reconcile',
    async () => (await cluster.client.get<Reported>(CANARIES, namespace, 'second')).status?.conditions?.[0]?.reason,
  );
  assert.equal(reason, 'InvalidSpec');
});

test('a leader that shuts down cleanly hands the lease over without waiting for it to expire', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  // A lease far longer than this test may take: only a released lease can change hands in time.
  const flags = ['--watch-namespace', namespace, '--lease-namespace', namespace, '--lease-duration', '10m'];
  const first = new OperatorProcess(cluster.kubeconfigPath, flags, { POD_NAME: 'first' });
  t.after(() => first.stop());
  await eventually(
    'first to lead',
    async () => (await cluster.client.get<Lease>(LEASES, namespace, 'wren-operator')).spec?.holderIdentity === 'first',
  );
  const second = new OperatorProcess(cluster.kubeconfigPath, flags, { POD_NAME: 'second' });
  t.after(() => second.stop());
  await eventually('second to be ready as a standby', async () => (await second.get('/readyz')).status === 200);

  assert.equal(await first.stop('SIGTERM'), 0);
  const holder = await eventually(
    'second to take over',
    async () => {
      const current = await cluster.client.get<Lease>(LEASES, namespace, 'wren-operator');
      return current.spec?.holderIdentity === 'second' ? current.spec.holderIdentity : undefined;
    },
    { timeoutMs: 30_000 },
  );
  assert.equal(holder, 'second');
});

test('a missing lease namespace is created at start, and the operator leads', async (t) => {
  const cluster = await useCluster();
  const watched = await freshNamespace(t, cluster);
  const leaseNamespace = `lease-${watched}`;
  t.after(() => cluster.client.delete(NAMESPACES, undefined, leaseNamespace).catch(() => undefined));
  const operator = operatorFor(t, cluster.kubeconfigPath, watched, ['--lease-namespace', leaseNamespace]);
  await operator.waitForLog('the operator to lead', (line) => line.msg === 'reconciling');
  const created = operator.logs.filter((line) => line.msg === 'created the namespace of the leader Lease');
  assert.equal(created.length, 1);
  const lease = await cluster.client.get<Lease>(LEASES, leaseNamespace, 'wren-operator');
  assert.ok(lease.spec?.holderIdentity);
});

test('a missing lease namespace the operator may not create refuses the start with one message saying what to do', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  await cluster.kubectl(['create', 'serviceaccount', 'op', '-n', namespace]);
  await cluster.kubectl(['create', 'clusterrole', `read-ns-${namespace}`, '--verb=get,list,watch', '--resource=namespaces']);
  t.after(() => cluster.kubectl(['delete', 'clusterrole,clusterrolebinding', `read-ns-${namespace}`, '--ignore-not-found']));
  await cluster.kubectl([
    'create',
    'clusterrolebinding',
    `read-ns-${namespace}`,
    `--clusterrole=read-ns-${namespace}`,
    `--serviceaccount=${namespace}:op`,
  ]);
  const kubeconfig = await serviceAccountKubeconfig(cluster, namespace, 'op');
  const operator = new OperatorProcess(kubeconfig, ['--watch-namespace', namespace, '--lease-namespace', `missing-${namespace}`]);
  t.after(() => operator.stop());
  const code = await operator.exited;
  assert.equal(code, 1);
  const errors = operator.logs.filter((line) => line.level === 'error');
  assert.equal(errors.length, 1, operator.tail());
  assert.match(
    String(errors[0]?.msg),
    new RegExp(`namespace missing-${namespace} for the leader Lease does not exist .*\\(kubectl create namespace`),
  );
});
