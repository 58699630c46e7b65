// Shards on the real control plane: three operator processes split 300 canaries in 30 namespaces
// by shard Leases, one of them is killed with SIGKILL in the middle of a wave, and its shards move to
// the other two. Every run must end as it would have undisturbed, and every canary must have been
// acted on by one replica at a time: its owner, or the killed one and then its successor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary } from '../../src/api/canary.ts';
import { CANARIES, EVENTS, LEASES, NAMESPACES } from '../../src/kube/resource-types.ts';
import { shardOf, shardOwner } from '../../src/shards/shard-hash.ts';
import { shardLeaseName, type Lease } from '../../src/shards/shard-leases.ts';
import { assertFleetEndedRight, createFleet, releaseFleet, type Fleet } from '../helpers/canary-fleet.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { addKwokNodes } from '../helpers/kwok-nodes.ts';
import { OperatorProcess } from '../helpers/operator-process.ts';
import { WebhookServer } from '../helpers/webhook-server.ts';

const SHARDS = 12;
const GROUP = 'wren-shards';
const REPLICAS = ['shard-a', 'shard-b', 'shard-c'];
const NAMESPACE_COUNT = 30;
const PER_NAMESPACE = { good: 8, bad: 2 };

/** Waits until every shard Lease is held by the replica rendezvous hashing gives it among `live`; answers the seconds it took. */
async function settled(cluster: TestCluster, leaseNamespace: string, live: string[], since: number, timeoutMs: number): Promise<number> {
  await eventually(
    `every shard Lease held by its owner among ${live.join(', ')}`,
    async () => {
      const leases = await cluster.client.list<Lease>(LEASES, leaseNamespace);
      const holders = new Map(leases.items.map((lease) => [lease.metadata?.name, lease.spec?.holderIdentity]));
      return Array.from({ length: SHARDS }, (_, shard) => shard).every(
        (shard) => holders.get(shardLeaseName(GROUP, shard)) === shardOwner(shard, live),
      );
    },
    { timeoutMs, intervalMs: 100 },
  );
  return (Date.now() - since) / 1000;
}

/** Deletes the namespaces and waits until they are gone (their Canaries' finalizers dropped). */
async function removeNamespaces(cluster: TestCluster, namespaces: readonly string[]): Promise<void> {
  await Promise.all(namespaces.map((name) => cluster.client.delete(NAMESPACES, undefined, name).catch(() => undefined)));
  await eventually(
    'the test namespaces to be gone',
    async () => {
      const left = await cluster.client.list(NAMESPACES);
      return !left.items.some((item) => namespaces.includes(item.metadata?.name ?? ''));
    },
    { timeoutMs: 120_000, intervalMs: 1000 },
  );
}

/** The operator instances that recorded Events about each Canary of a namespace, with the first time each did. */
async function actorsByCanary(cluster: TestCluster, namespace: string): Promise<Map<string, Map<string, number>>> {
  const events = await cluster.client.list(EVENTS, namespace, { fieldSelector: 'involvedObject.kind=Canary' });
  const actors = new Map<string, Map<string, number>>();
  for (const event of events.items as { involvedObject?: { name?: string }; reportingInstance?: string; firstTimestamp?: string }[]) {
    const canary = event.involvedObject?.name ?? '';
    const instance = event.reportingInstance ?? '';
    const first = Date.parse(event.firstTimestamp ?? '');
    const byInstance = actors.get(canary) ?? new Map<string, number>();
    byInstance.set(instance, Math.min(byInstance.get(instance) ?? Infinity, first));
    actors.set(canary, byInstance);
  }
  return actors;
}

test('three sharded operators over 300 canaries: one killed with SIGKILL mid-wave, its shards move, every run ends right, and no canary is acted on by two replicas', async (t) => {
  const cluster = await useCluster();
  // One hook, added first (hooks run in the order they were added, and a failing one skips the rest):
  // the canaries' namespaces go while the operators still run to drop the Canaries' finalizers, then
  // the operators stop whatever happened, so none outlives the test.
  const namespaces: string[] = [];
  const operators = new Map<string, OperatorProcess>();
  t.after(async () => {
    try {
      await removeNamespaces(cluster, namespaces);
    } catch (error) {
      t.diagnostic(`cleanup left namespaces behind: ${(error as Error).message}`);
    } finally {
      await Promise.all([...operators.values()].map((operator) => operator.stop()));
    }
  });
  const leaseNamespace = await freshNamespace(t, cluster, 'shard-leases');
  const hooks = await new WebhookServer().start(t);
  // Room for 1,200 pods (each canary's target and primary run two): the shared nodes hold 330.
  await addKwokNodes(t, cluster, leaseNamespace, 12);

  // Started one after another: the first takes every shard, then hands shards over as the others join.
  const started = Date.now();
  for (const identity of REPLICAS) {
    const operator = new OperatorProcess(
      cluster.kubeconfigPath,
      ['--shards', String(SHARDS), '--lease-namespace', leaseNamespace, '--lease-name', GROUP, '--lease-duration', '6s'],
      { POD_NAME: identity },
    );
    operators.set(identity, operator);
    await operator.waitForLog(`${identity} to know the shard membership`, (line) => line.msg === 'shard membership known');
  }
  const joined = await settled(cluster, leaseNamespace, REPLICAS, started, 60_000);
  t.diagnostic(`three replicas started one after another: shards settled ${joined.toFixed(1)} s after the first started`);

  for (let index = 0; index < NAMESPACE_COUNT; index++) namespaces.push(await freshNamespace(t, cluster, 'shard'));
  const ownerOf = (namespace: string, live: string[]) => shardOwner(shardOf(namespace, SHARDS), live) as string;
  // The replica with the most namespaces is the one killed.
  const victim = REPLICAS.map((replica) => ({
    replica,
    count: namespaces.filter((namespace) => ownerOf(namespace, REPLICAS) === replica).length,
  })).sort((a, b) => b.count - a.count)[0]!.replica;
  const survivors = REPLICAS.filter((replica) => replica !== victim);
  const victimNamespaces = namespaces.filter((namespace) => ownerOf(namespace, REPLICAS) === victim);
  t.diagnostic(`${victim} owns ${victimNamespaces.length} of ${NAMESPACE_COUNT} namespaces`);

  const fleets = new Map<string, Fleet>();
  for (let batch = 0; batch < namespaces.length; batch += 6) {
    await Promise.all(
      namespaces.slice(batch, batch + 6).map(async (namespace) => {
        fleets.set(namespace, await createFleet(cluster, namespace, hooks, PER_NAMESPACE, {}, { progressDeadlineSeconds: 600 }));
      }),
    );
  }

  await Promise.all(namespaces.map((namespace) => releaseFleet(cluster, namespace, fleets.get(namespace)!)));
  // In the middle of the wave: a quarter of the victim's canaries have started their run.
  const victimCanaries = victimNamespaces.length * (PER_NAMESPACE.good + PER_NAMESPACE.bad);
  await eventually(
    `a quarter of ${victim}'s canaries to start their run`,
    async () => {
      let running = 0;
      for (const namespace of victimNamespaces) {
        const canaries = await cluster.client.list<Canary>(CANARIES, namespace);
        running += canaries.items.filter((canary) => canary.status?.phase !== 'Initialized').length;
      }
      return running * 4 >= victimCanaries;
    },
    { timeoutMs: 180_000 },
  );
  const killedAt = Date.now();
  await operators.get(victim)!.stop('SIGKILL');
  const rebalance = await settled(cluster, leaseNamespace, survivors, killedAt, 120_000);
  t.diagnostic(`rebalance: ${victim}'s shards held by ${survivors.join(' and ')} ${rebalance.toFixed(1)} s after its SIGKILL (lease 6 s)`);

  for (const namespace of namespaces) await assertFleetEndedRight(cluster, namespace, fleets.get(namespace)!, 300_000);

  // One replica at a time: a canary's Events come from its namespace's owner only, or, for the
  // victim's, from the victim and then (only after the kill) from its successor.
  const killedSecond = Math.floor(killedAt / 1000) * 1000;
  let moved = 0;
  for (const namespace of namespaces) {
    const actors = await actorsByCanary(cluster, namespace);
    const owner = ownerOf(namespace, REPLICAS);
    const successor = ownerOf(namespace, survivors);
    const fleet = fleets.get(namespace)!;
    for (const canary of [...fleet.good, ...fleet.bad]) {
      const byInstance = actors.get(canary) ?? new Map<string, number>();
      const instances = [...byInstance.keys()].sort();
      if (owner !== victim) {
        assert.deepEqual(instances, [owner], `${namespace}/${canary}: only its owner acted`);
        continue;
      }
      assert.ok(
        instances.every((instance) => instance === victim || instance === successor),
        `${namespace}/${canary}: acted on by ${instances.join(', ')}; expected ${victim} then ${successor}`,
      );
      const successorFirst = byInstance.get(successor);
      if (successorFirst !== undefined) {
        moved++;
        assert.ok(successorFirst >= killedSecond, `${namespace}/${canary}: ${successor} acted before ${victim} was killed`);
      }
    }
  }
  assert.ok(moved > 0, `some of ${victim}'s canaries were finished by its successors`);
  t.diagnostic(`${moved} of ${victimCanaries} canaries of the killed replica finished by a survivor`);
});
