import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LeaseObservation } from '../../src/kube/leader-lease.ts';
import {
  abandonedAnnouncements,
  announcementName,
  announcements,
  groupLabels,
  observeLeases,
  shardLeaseName,
  shardObservations,
  type Lease,
} from '../../src/shards/shard-leases.ts';

const lease = (name: string, role: 'replica' | 'shard', holderIdentity: string, renewTime: string): Lease => ({
  metadata: { name, labels: groupLabels('wren', role) },
  spec: { holderIdentity, renewTime, leaseDurationSeconds: 15 },
});

test('announcement names are valid Lease names whatever the identity', () => {
  const cases: [string, string][] = [
    ['wren-7f9c-x2k', 'wren-replica-wren-7f9c-x2k'],
    ['Host_Name.local', 'wren-replica-host-name.local'],
    ['--', 'wren-replica-unnamed'],
  ];
  for (const [identity, name] of cases) assert.equal(announcementName('wren', identity), name, identity);
  assert.ok(announcementName('wren', 'x'.repeat(400)).length <= 253);
  assert.equal(shardLeaseName('wren', 3), 'wren-shard-3');
});

test('a Lease keeps the time it was first seen as it is; a renewed, new or other holder is observed now; a gone one is forgotten', () => {
  const previous = new Map<string, LeaseObservation>([
    ['same', { spec: { holderIdentity: 'a', renewTime: 't1' }, observedAt: 100 }],
    ['renewed', { spec: { holderIdentity: 'a', renewTime: 't1' }, observedAt: 100 }],
    ['changed-hands', { spec: { holderIdentity: 'a', renewTime: 't1' }, observedAt: 100 }],
    ['gone', { spec: { holderIdentity: 'a', renewTime: 't1' }, observedAt: 100 }],
  ]);
  const next = observeLeases(
    previous,
    [
      lease('same', 'shard', 'a', 't1'),
      lease('renewed', 'shard', 'a', 't2'),
      lease('changed-hands', 'shard', 'b', 't1'),
      lease('new', 'replica', 'c', 't1'),
    ],
    500,
  );
  assert.deepEqual(
    [...next].map(([name, observation]) => [name, observation.observedAt]),
    [
      ['same', 100],
      ['renewed', 500],
      ['changed-hands', 500],
      ['new', 500],
    ],
  );
});

test("the others' announcements are the replica Leases but this replica's own; shards without a Lease have no spec", () => {
  const leases = [
    lease(announcementName('wren', 'a'), 'replica', 'a', 't'),
    lease(announcementName('wren', 'b'), 'replica', 'b', 't'),
    lease(shardLeaseName('wren', 1), 'shard', 'b', 't'),
  ];
  const observations = observeLeases(new Map(), leases, 7);
  assert.deepEqual(
    announcements('wren', leases, observations, 'a').map((observation) => observation.spec?.holderIdentity),
    ['b'],
  );
  const shards = shardObservations('wren', 3, observations);
  assert.deepEqual(
    shards.map((observation) => observation.spec?.holderIdentity),
    [undefined, 'b', undefined],
  );
});

test('announcements not renewed for ten lease durations are abandoned; live ones and our own are not', () => {
  const leases = [
    lease(announcementName('wren', 'crashed'), 'replica', 'crashed', 't'),
    lease(announcementName('wren', 'alive'), 'replica', 'alive', 't'),
    lease(announcementName('wren', 'me'), 'replica', 'me', 't'),
    lease(shardLeaseName('wren', 0), 'shard', 'crashed', 't'),
  ];
  const now = 1_000_000;
  const observations = new Map<string, LeaseObservation>([
    [announcementName('wren', 'crashed'), { spec: leases[0]!.spec, observedAt: now - 151_000 }],
    [announcementName('wren', 'alive'), { spec: leases[1]!.spec, observedAt: now - 5_000 }],
    [announcementName('wren', 'me'), { spec: leases[2]!.spec, observedAt: now - 500_000 }],
    [shardLeaseName('wren', 0), { spec: leases[3]!.spec, observedAt: now - 500_000 }],
  ]);
  assert.deepEqual(abandonedAnnouncements(leases, observations, 'me', 15, now), [announcementName('wren', 'crashed')]);
});
