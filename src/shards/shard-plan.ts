// The shard rule, pure: given the replicas' announcements and the shards' Leases as last observed,
// decide which shards this replica wants (rendezvous hashing over the live replicas) and what to do
// with each Lease now: create, take over or renew the ones it wants, drain and then release the
// ones it holds but no longer wants, wait for the others. Expiry is judged from when we observed
// the last change, by our own clock, exactly as leader election does (see leader-lease.ts).
// shard-coordinator.ts carries the plan out for `wren operator --shards N`.
import { decideLease, microTime, releasedSpec, type LeaseObservation, type LeaseSpec } from '../kube/leader-lease.ts';
import { shardOwner } from './shard-hash.ts';

export interface ShardPlanInput {
  me: string;
  leaseDurationSeconds: number;
  now: Date;
  /** Every replica's announcement Lease as observed; its holderIdentity names the replica. */
  replicas: readonly LeaseObservation[];
  /** Each shard's Lease as observed, by shard number; spec undefined while it does not exist. */
  leases: readonly LeaseObservation[];
  /** Shards with reconciles still running on this replica. */
  busy: ReadonlySet<number>;
}

export type ShardStep =
  | { shard: number; action: 'create' | 'takeover' | 'renew'; spec: LeaseSpec }
  /** Ours but wanted elsewhere, with work still running: keep the Lease, start nothing new. */
  | { shard: number; action: 'drain'; spec: LeaseSpec }
  /** Ours, wanted elsewhere, idle: hand it back so its new owner need not wait for expiry. */
  | { shard: number; action: 'release'; spec: LeaseSpec }
  | { shard: number; action: 'wait'; holder: string; expiresInMs: number }
  /** Neither ours nor wanted by us. */
  | { shard: number; action: 'leave' };

export interface ShardPlan {
  /** The replicas seen alive (this one always), sorted. */
  live: string[];
  /** The shards rendezvous hashing gives this replica. */
  wanted: number[];
  steps: ShardStep[];
}

/** Replicas whose announcement was renewed within the lease duration, by our clock. */
export function liveReplicas(input: Pick<ShardPlanInput, 'me' | 'replicas' | 'leaseDurationSeconds' | 'now'>): string[] {
  const live = new Set([input.me]);
  for (const { spec, observedAt } of input.replicas) {
    const identity = spec?.holderIdentity;
    if (!identity) continue;
    const durationMs = (spec.leaseDurationSeconds ?? input.leaseDurationSeconds) * 1000;
    if (observedAt + durationMs > input.now.getTime()) live.add(identity);
  }
  return [...live].sort();
}

export function planShards(input: ShardPlanInput): ShardPlan {
  const { me, leaseDurationSeconds, now } = input;
  const live = liveReplicas(input);
  const wanted: number[] = [];
  const steps = input.leases.map((observation, shard): ShardStep => {
    const wants = shardOwner(shard, live) === me;
    if (wants) wanted.push(shard);
    const ours = observation.spec?.holderIdentity === me;
    if (ours && !wants) {
      if (input.busy.has(shard)) {
        return { shard, action: 'drain', spec: { ...observation.spec, leaseDurationSeconds, renewTime: microTime(now) } };
      }
      return { shard, action: 'release', spec: releasedSpec(observation.spec ?? {}, now) };
    }
    if (!wants) return { shard, action: 'leave' };
    const decision = decideLease(observation, me, leaseDurationSeconds, now);
    return { shard, ...decision };
  });
  return { live, wanted, steps };
}

/** Whether a step leaves this replica acting on its shard: only when it holds the Lease and wants it. */
export function keepsActing(step: ShardStep): boolean {
  return step.action === 'create' || step.action === 'takeover' || step.action === 'renew';
}
