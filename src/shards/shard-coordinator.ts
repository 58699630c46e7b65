// Runs the shard rule (shard-plan.ts) against Leases. Each round: read the group's Leases in one
// list, renew this replica's announcement, plan, and write what the plan says. Work on an object
// starts only while this replica holds the Lease of its namespace's shard: a shard wanted elsewhere
// takes no new work from the moment the plan says so, and its Lease is handed back once the
// reconciles already running on it are done. A replica that cannot renew for the renew deadline
// (shorter than the lease) stops acting before anyone may take its shards over.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.ts';
import { isAlreadyExists, isConflict } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/client.ts';
import { decideLease, releasedSpec, type LeaseObservation, type LeaseSpec } from '../kube/leader-lease.ts';
import { LEASES } from '../kube/resource-types.ts';
import { shardOfKey } from './shard-hash.ts';
import {
  announcementName,
  abandonedAnnouncements,
  announcements,
  GROUP_LABEL,
  groupLabels,
  observeLeases,
  shardLeaseName,
  shardObservations,
  type Lease,
} from './shard-leases.ts';
import { keepsActing, planShards, type ShardStep } from './shard-plan.ts';

export interface ShardOptions {
  namespace: string;
  /** The group's name: prefix of its Lease names and value of their group label. */
  group: string;
  identity: string;
  shards: number;
  leaseDurationSeconds: number;
  roundIntervalMs: number;
  renewDeadlineMs: number;
}

export interface ShardCallbacks {
  /** Shards this replica may act on from now: their objects need a look (timers of the last owner are gone). */
  onGained(shards: number[]): void;
  /** Shards with reconciles running on this replica now. */
  busyShards(): Set<number>;
}

export class ShardCoordinator {
  private readonly client: KubeClient;
  private readonly options: ShardOptions;
  private readonly log: Logger;
  private readonly acting = new Set<number>();
  private readonly renewedAt = new Map<number, number>();
  private observations = new Map<string, LeaseObservation>();
  private leases = new Map<string, Lease>();
  private known = false;
  private abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(client: KubeClient, options: ShardOptions, log: Logger) {
    this.client = client;
    this.options = options;
    this.log = log.child({ component: 'shards', identity: options.identity });
  }

  /** True when this replica may start work on the object of this work-queue key now. */
  owns(key: string): boolean {
    return this.acting.has(shardOfKey(key, this.options.shards));
  }

  /** The shards this replica acts on, sorted. */
  get held(): number[] {
    return [...this.acting].sort((a, b) => a - b);
  }

  /** True after the first round that read the group's Leases (for readiness). */
  get membershipKnown(): boolean {
    return this.known;
  }

  start(callbacks: ShardCallbacks): void {
    this.abort = new AbortController();
    this.loop = this.run(callbacks, this.abort.signal);
  }

  /** Stops acting and hands every held Lease back, the announcement too, so the others rebalance at once. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.acting.clear();
    const now = new Date();
    const mine = [...this.leases.values()].filter((lease) => lease.spec?.holderIdentity === this.options.identity);
    await Promise.all(
      mine.map((lease) =>
        this.client.replace(LEASES, { ...lease, spec: releasedSpec(lease.spec ?? {}, now) }).catch((error: unknown) => {
          this.log.warn({ lease: lease.metadata?.name, err: errorMessage(error) }, 'could not hand a Lease back; it expires instead');
        }),
      ),
    );
    this.log.info({ released: mine.length }, 'handed the shard Leases back');
  }

  private async run(callbacks: ShardCallbacks, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.round(callbacks);
      } catch (error) {
        this.log.warn({ err: errorMessage(error) }, 'shard round failed');
      }
      this.dropStale();
      await sleep(this.options.roundIntervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  /** Shards not renewed within the renew deadline: stop acting before another replica may take them. */
  private dropStale(): void {
    const now = Date.now();
    for (const shard of this.acting) {
      if (now - (this.renewedAt.get(shard) ?? 0) > this.options.renewDeadlineMs) {
        this.acting.delete(shard);
        this.log.error({ shard }, 'could not renew a shard Lease in time; stopped acting on it');
      }
    }
  }

  private async round(callbacks: ShardCallbacks): Promise<void> {
    const { namespace, group, identity, shards, leaseDurationSeconds } = this.options;
    const listed = await this.client.list<Lease>(LEASES, namespace, { labelSelector: `${GROUP_LABEL}=${group}` });
    this.leases = new Map(listed.items.map((lease) => [lease.metadata?.name ?? '', lease]));
    this.observations = observeLeases(this.observations, listed.items, Date.now());
    await this.announce();

    const busy = callbacks.busyShards();
    const plan = planShards({
      me: identity,
      leaseDurationSeconds,
      now: new Date(),
      replicas: announcements(group, listed.items, this.observations, identity),
      leases: shardObservations(group, shards, this.observations),
      busy,
    });
    // In the same tick as the busy snapshot: a shard this replica should not act on takes no new work.
    for (const step of plan.steps) if (!keepsActing(step)) this.acting.delete(step.shard);
    const results = await Promise.all(plan.steps.map((step) => this.carryOut(step)));
    await this.forgetAbandoned(listed.items);
    const gained = results.filter((shard): shard is number => shard !== undefined);
    if (!this.known) this.log.info({ live: plan.live, wanted: plan.wanted }, 'shard membership known');
    this.known = true;
    if (gained.length > 0) {
      this.log.info({ gained, held: this.held, live: plan.live }, 'acting on shards');
      callbacks.onGained(gained);
    }
  }

  /** Renews this replica's announcement: the others count it live while it is renewed. */
  private async announce(): Promise<void> {
    const { namespace, group, identity, leaseDurationSeconds } = this.options;
    const name = announcementName(group, identity);
    const observation = this.observations.get(name) ?? { spec: undefined, observedAt: 0 };
    const decision = decideLease({ ...observation, observedAt: 0 }, identity, leaseDurationSeconds, new Date());
    if (decision.action === 'wait') return;
    await this.write(name, decision.action === 'create', decision.spec, 'replica');
  }

  /** Deletes announcements of replicas gone long ago, so a Deployment's crashed pods leave no Leases behind. */
  private async forgetAbandoned(leases: readonly Lease[]): Promise<void> {
    const { namespace, identity, leaseDurationSeconds } = this.options;
    for (const name of abandonedAnnouncements(leases, this.observations, identity, leaseDurationSeconds, Date.now())) {
      try {
        await this.client.delete(LEASES, namespace, name);
        this.log.info({ lease: name }, 'deleted the announcement of a replica gone long ago');
      } catch (error) {
        this.log.debug({ lease: name, err: errorMessage(error) }, 'could not delete an abandoned announcement');
      }
    }
  }

  /** Writes one step; answers the shard when this replica newly holds it. */
  private async carryOut(step: ShardStep): Promise<number | undefined> {
    if (step.action === 'wait' || step.action === 'leave') return undefined;
    const name = shardLeaseName(this.options.group, step.shard);
    try {
      await this.write(name, step.action === 'create', step.spec, 'shard');
    } catch (error) {
      if (isConflict(error) || isAlreadyExists(error)) {
        // Another replica wrote first: not ours until a later round says so.
        this.acting.delete(step.shard);
      } else {
        // Kept until the renew deadline passes (dropStale), as a leader keeps leading through one failed renewal.
        this.log.warn({ shard: step.shard, action: step.action, err: errorMessage(error) }, 'could not write a shard Lease');
      }
      return undefined;
    }
    if (step.action === 'release' || step.action === 'drain') {
      if (step.action === 'release') this.log.info({ shard: step.shard }, 'handed a shard over');
      return undefined;
    }
    this.renewedAt.set(step.shard, Date.now());
    if (this.acting.has(step.shard)) return undefined;
    this.acting.add(step.shard);
    return step.shard;
  }

  private async write(name: string, create: boolean, spec: LeaseSpec, role: 'replica' | 'shard'): Promise<void> {
    const { namespace, group } = this.options;
    const written = create
      ? await this.client.create<Lease>(LEASES, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace, labels: groupLabels(group, role) },
          spec,
        })
      : await this.client.replace<Lease>(LEASES, { ...(this.leases.get(name) as Lease), spec });
    this.leases.set(name, written);
    this.observations.set(name, { spec: written.spec, observedAt: Date.now() });
  }
}
