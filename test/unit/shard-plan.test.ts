import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LeaseObservation } from '../../src/kube/leader-lease.ts';
import { microTime } from '../../src/kube/leader-lease.ts';
import { shardOf, shardOwner } from '../../src/shards/shard-hash.ts';
import { keepsActing, liveReplicas, planShards, type ShardPlanInput } from '../../src/shards/shard-plan.ts';

const now = new Date('2026-01-01T00:01:00.000Z');
const seenAt = (secondsAgo: number) => now.getTime() - secondsAgo * 1000;
const announced = (identity: string, secondsAgo: number): LeaseObservation => ({
  spec: { holderIdentity: identity, leaseDurationSeconds: 15 },
  observedAt: seenAt(secondsAgo),
});
const held = (holder: string, secondsAgo: number): LeaseObservation => ({
  spec: { holderIdentity: holder, leaseDurationSeconds: 15, leaseTransitions: 2 },
  observedAt: seenAt(secondsAgo),
});
const missing: LeaseObservation = { spec: undefined, observedAt: 0 };

function input(overrides: Partial<ShardPlanInput>): ShardPlanInput {
  return { me: 'a', leaseDurationSeconds: 15, now, replicas: [], leases: [], busy: new Set(), ...overrides };
}

/** The first shard rendezvous hashing gives `replica` among `replicas`. */
function shardFor(replica: string, replicas: string[], shards = 16): number {
  const shard = Array.from({ length: shards }, (_, index) => index).find((index) => shardOwner(index, replicas) === replica);
  assert.ok(shard !== undefined, `some shard goes to ${replica}`);
  return shard;
}

test('a namespace always maps to the same shard, and namespaces spread over every shard', () => {
  assert.equal(shardOf('team-a', 8), shardOf('team-a', 8));
  const used = new Set(Array.from({ length: 200 }, (_, index) => shardOf(`ns-${index}`, 8)));
  assert.equal(used.size, 8);
});

test('rendezvous hashing moves only the shards of the replica that left', () => {
  const shards = Array.from({ length: 64 }, (_, index) => index);
  const before = shards.map((shard) => shardOwner(shard, ['a', 'b', 'c']));
  const after = shards.map((shard) => shardOwner(shard, ['a', 'b']));
  for (const shard of shards) {
    if (before[shard] !== 'c') assert.equal(after[shard], before[shard], `shard ${shard} stays with ${before[shard]}`);
  }
  assert.ok(before.includes('a') && before.includes('b') && before.includes('c'), 'every replica gets a share');
});

test('live replicas: announcements renewed within the lease duration, released ones are gone, this replica always', () => {
  const replicas = [
    announced('b', 5),
    announced('c', 20),
    { spec: { holderIdentity: '', leaseDurationSeconds: 1 }, observedAt: seenAt(0) },
  ];
  assert.deepEqual(liveReplicas(input({ replicas })), ['a', 'b']);
});

const cases: {
  name: string;
  replicas: string[];
  setup: (shard: number) => LeaseObservation;
  busy?: boolean;
  mine: boolean;
  action: string;
}[] = [
  { name: 'a wanted shard without a Lease is created', replicas: ['a', 'b'], setup: () => missing, mine: true, action: 'create' },
  {
    name: 'a wanted shard whose holder went silent is taken over',
    replicas: ['a', 'b'],
    setup: () => held('c', 16),
    mine: true,
    action: 'takeover',
  },
  {
    name: 'a wanted shard still held by another waits for expiry',
    replicas: ['a', 'b'],
    setup: () => held('b', 3),
    mine: true,
    action: 'wait',
  },
  { name: 'a wanted shard we hold is renewed', replicas: ['a', 'b'], setup: () => held('a', 3), mine: true, action: 'renew' },
  {
    name: 'a shard we hold that another live replica should have is released when idle',
    replicas: ['a', 'b'],
    setup: () => held('a', 3),
    mine: false,
    action: 'release',
  },
  {
    name: 'a shard we hold that another should have is drained while work runs',
    replicas: ['a', 'b'],
    setup: () => held('a', 3),
    busy: true,
    mine: false,
    action: 'drain',
  },
  {
    name: 'a shard another should have is left alone, even when its Lease expired',
    replicas: ['a', 'b'],
    setup: () => held('b', 30),
    mine: false,
    action: 'leave',
  },
];

for (const example of cases) {
  test(`shard plan: ${example.name}`, () => {
    const other = example.replicas.find((replica) => replica !== 'a') as string;
    const shard = shardFor(example.mine ? 'a' : other, example.replicas);
    const leases = Array.from({ length: 16 }, () => missing);
    leases[shard] = example.setup(shard);
    const plan = planShards(
      input({ replicas: example.replicas.map((replica) => announced(replica, 1)), leases, busy: new Set(example.busy ? [shard] : []) }),
    );
    assert.equal(plan.steps[shard]?.action, example.action);
    assert.equal(plan.wanted.includes(shard), example.mine);
  });
}

test('shard plan: a replica that stopped announcing loses its shards to the survivors, who take them over once expired', () => {
  const shards = 16;
  const everyone = ['a', 'b', 'c'];
  const leases = Array.from({ length: shards }, (_, shard) => held(shardOwner(shard, everyone) as string, 16));
  // c's last renewals were seen 16s ago; a and b keep announcing.
  const replicas = [announced('b', 1), announced('c', 16)];
  const plan = planShards(input({ replicas, leases }));
  assert.deepEqual(plan.live, ['a', 'b']);
  for (const step of plan.steps) {
    const before = shardOwner(step.shard, everyone);
    const after = shardOwner(step.shard, ['a', 'b']);
    if (after !== 'a') assert.equal(step.action, 'leave');
    else if (before === 'a') assert.equal(step.action, 'renew');
    else assert.equal(step.action, 'takeover', `shard ${step.shard} of ${before}`);
  }
});

test('shard plan: a renewed Lease keeps its transitions and gets a new renewTime', () => {
  const shard = shardFor('a', ['a']);
  const leases = Array.from({ length: 16 }, () => missing);
  leases[shard] = held('a', 3);
  const step = planShards(input({ leases })).steps[shard];
  assert.deepEqual(step, {
    shard,
    action: 'renew',
    spec: { holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 2, renewTime: microTime(now) },
  });
});

test('shard plan: a released Lease names no holder', () => {
  const shard = shardFor('b', ['a', 'b']);
  const leases = Array.from({ length: 16 }, () => missing);
  leases[shard] = held('a', 3);
  const step = planShards(input({ replicas: [announced('b', 1)], leases })).steps[shard];
  assert.equal(step?.action, 'release');
  assert.equal(step?.action === 'release' && step.spec.holderIdentity, '');
});

test('shard plan: a replica keeps acting only on shards it creates, takes over or renews', () => {
  const spec = { holderIdentity: 'a' };
  const cases: [Parameters<typeof keepsActing>[0], boolean][] = [
    [{ shard: 0, action: 'create', spec }, true],
    [{ shard: 0, action: 'takeover', spec }, true],
    [{ shard: 0, action: 'renew', spec }, true],
    [{ shard: 0, action: 'drain', spec }, false],
    [{ shard: 0, action: 'release', spec }, false],
    [{ shard: 0, action: 'wait', holder: 'b', expiresInMs: 1 }, false],
    [{ shard: 0, action: 'leave' }, false],
  ];
  for (const [step, expected] of cases) assert.equal(keepsActing(step), expected, step.action);
});
