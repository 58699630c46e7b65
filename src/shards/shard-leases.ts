// The Leases of a shard group, pure: their names and labels, which are announcements and which are
// shards, and what was last observed of each (expiry is judged by our own clock from the moment a
// holder or renewal was first seen, as leader election does).
import { sameHolderAndRenewal, type LeaseObservation, type LeaseSpec } from '../kube/leader-lease.ts';
import type { KubeObject } from '../kube/objects.ts';

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

export const GROUP_LABEL = 'wren.dev/shard-group';
export const ROLE_LABEL = 'wren.dev/shard-role';

/** A name the API server accepts for a replica's announcement: lower case, [-a-z0-9.], at most 253. */
export function announcementName(group: string, identity: string): string {
  const safe = identity
    .toLowerCase()
    .replace(/[^-a-z0-9.]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return `${group}-replica-${safe || 'unnamed'}`.slice(0, 253);
}

export function shardLeaseName(group: string, shard: number): string {
  return `${group}-shard-${shard}`;
}

export function groupLabels(group: string, role: 'replica' | 'shard'): Record<string, string> {
  return { [GROUP_LABEL]: group, [ROLE_LABEL]: role };
}

/**
 * The observations after reading `leases`: a lease whose holder and renewal are unchanged keeps the
 * time it was first seen so; a changed or new one is observed now; a vanished one is forgotten.
 */
export function observeLeases(
  previous: ReadonlyMap<string, LeaseObservation>,
  leases: readonly Lease[],
  now: number,
): Map<string, LeaseObservation> {
  const next = new Map<string, LeaseObservation>();
  for (const lease of leases) {
    const name = lease.metadata?.name ?? '';
    const before = previous.get(name);
    next.set(
      name,
      before && sameHolderAndRenewal(before.spec, lease.spec) ? { ...before, spec: lease.spec } : { spec: lease.spec, observedAt: now },
    );
  }
  return next;
}

/** The other replicas' announcements among the observations (our own is not evidence of anyone). */
export function announcements(
  group: string,
  leases: readonly Lease[],
  observations: ReadonlyMap<string, LeaseObservation>,
  me: string,
): LeaseObservation[] {
  return leases
    .filter((lease) => lease.metadata?.labels?.[ROLE_LABEL] === 'replica' && lease.metadata?.name !== announcementName(group, me))
    .map((lease) => observations.get(lease.metadata?.name ?? '') ?? { spec: lease.spec, observedAt: 0 });
}

/** Each shard's observation by shard number; a shard whose Lease does not exist yet has no spec. */
export function shardObservations(group: string, shards: number, observations: ReadonlyMap<string, LeaseObservation>): LeaseObservation[] {
  return Array.from({ length: shards }, (_, shard) => observations.get(shardLeaseName(group, shard)) ?? { spec: undefined, observedAt: 0 });
}

/**
 * Announcements left by replicas gone long ago (a crashed pod's name never comes back): unchanged
 * (neither renewed nor released again) for ten lease durations, by our own observation. Safe to delete: no live replica
 * renews them, and a replica that does come back creates its announcement again.
 */
export function abandonedAnnouncements(
  leases: readonly Lease[],
  observations: ReadonlyMap<string, LeaseObservation>,
  me: string,
  leaseDurationSeconds: number,
  now: number,
): string[] {
  return leases
    .filter((lease) => lease.metadata?.labels?.[ROLE_LABEL] === 'replica' && lease.spec?.holderIdentity !== me)
    .filter((lease) => {
      const observedAt = observations.get(lease.metadata?.name ?? '')?.observedAt ?? now;
      return now - observedAt > 10 * (lease.spec?.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
    })
    .map((lease) => lease.metadata?.name ?? '');
}
