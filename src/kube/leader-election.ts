// Runs the leader-election rule against a coordination.k8s.io Lease. Only the leader reconciles;
// every replica keeps its caches warm so a takeover starts work at once.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.ts';
import { isConflict, isNotFound, isAlreadyExists } from './api-error.ts';
import type { KubeClient } from './client.ts';
import { decideLease, releasedSpec, sameHolderAndRenewal, type LeaseObservation, type LeaseSpec } from './leader-lease.ts';
import type { KubeObject } from './objects.ts';
import { LEASES } from './resource-types.ts';

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  /** How often the leader renews. */
  renewIntervalMs: number;
  /** How often a standby checks whether the lease expired. */
  retryIntervalMs: number;
  /** A leader that could not renew for this long steps down. */
  renewDeadlineMs: number;
}

export interface LeaderCallbacks {
  onStartedLeading(): void;
  onStoppedLeading(): void;
}

interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

export class LeaderElector {
  private readonly client: KubeClient;
  private readonly options: LeaderElectionOptions;
  private readonly log: Logger;
  private observation: LeaseObservation = { spec: undefined, observedAt: 0 };
  private lease: Lease | undefined;
  private leading = false;
  private lastRenewedAt = 0;
  private known = false;
  private abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(client: KubeClient, options: LeaderElectionOptions, log: Logger) {
    this.client = client;
    this.options = options;
    this.log = log.child({ component: 'leader-election', identity: options.identity });
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** True once this replica knows whether it leads (for readiness). */
  get leadershipKnown(): boolean {
    return this.known;
  }

  start(callbacks: LeaderCallbacks): void {
    this.abort = new AbortController();
    this.loop = this.run(callbacks, this.abort.signal);
  }

  /** Stops campaigning; a leader hands the lease back so a standby need not wait for it to expire. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (this.leading && this.lease?.spec) {
      try {
        await this.client.replace(LEASES, { ...this.lease, spec: releasedSpec(this.lease.spec, new Date()) });
        this.log.info('released the lease');
      } catch (error) {
        this.log.warn({ err: errorMessage(error) }, 'could not release the lease; a standby takes over when it expires');
      }
    }
    this.leading = false;
  }

  private async run(callbacks: LeaderCallbacks, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.tryOnce(callbacks);
      } catch (error) {
        this.log.warn({ err: errorMessage(error) }, 'lease check failed');
      }
      if (this.leading && Date.now() - this.lastRenewedAt > this.options.renewDeadlineMs) {
        this.log.error('could not renew the lease in time; stepping down');
        this.leading = false;
        callbacks.onStoppedLeading();
      }
      const wait = this.leading ? this.options.renewIntervalMs : this.options.retryIntervalMs;
      await sleep(wait, undefined, { signal }).catch(() => undefined);
    }
  }

  private async tryOnce(callbacks: LeaderCallbacks): Promise<void> {
    const { namespace, name, identity, leaseDurationSeconds } = this.options;
    try {
      this.lease = await this.client.get<Lease>(LEASES, namespace, name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      this.lease = undefined;
    }
    const spec = this.lease?.spec;
    if (!sameHolderAndRenewal(spec, this.observation.spec) || this.observation.observedAt === 0) {
      this.observation = { spec, observedAt: Date.now() };
    }
    const decision = decideLease(this.observation, identity, leaseDurationSeconds, new Date());
    if (decision.action === 'wait') {
      this.known = true;
      if (this.leading) {
        this.leading = false;
        callbacks.onStoppedLeading();
      }
      return;
    }
    try {
      if (decision.action === 'create') {
        this.lease = await this.client.create<Lease>(LEASES, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace },
          spec: decision.spec,
        });
      } else {
        this.lease = await this.client.replace<Lease>(LEASES, { ...(this.lease as Lease), spec: decision.spec });
      }
    } catch (error) {
      // Another replica wrote first; read again on the next round.
      if (isConflict(error) || isAlreadyExists(error)) return;
      throw error;
    }
    this.observation = { spec: this.lease.spec, observedAt: Date.now() };
    this.lastRenewedAt = Date.now();
    this.known = true;
    if (!this.leading) {
      this.leading = true;
      this.log.info({ transitions: this.lease.spec?.leaseTransitions }, 'became the leader');
      callbacks.onStartedLeading();
    }
  }
}
