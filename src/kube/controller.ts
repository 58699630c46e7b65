// A controller: informer events become keys in a work queue, and workers reconcile one key at a
// time. Events are queued even while this replica is not the leader, so when it becomes leader the
// queue already names every object; workers only run while leading.
import type { Logger } from 'pino';
import { errorMessage } from '../errors.ts';
import type { OperatorMetrics } from '../server/metrics.ts';
import type { Informer } from './informer.ts';
import { keyOf, type KubeObject } from './objects.ts';
import { WorkQueue, type ReconcileResult } from './work-queue.ts';

export interface Reconciler {
  /** Kind reconciled, for logs and metrics. */
  readonly kind: string;
  reconcile(key: string): Promise<ReconcileResult | void>;
}

export interface ControllerOptions {
  workers: number;
  metrics: OperatorMetrics;
  log: Logger;
}

export class Controller {
  readonly reconciler: Reconciler;
  private readonly queue: WorkQueue;
  private readonly options: ControllerOptions;
  private readonly sources: { informer: Informer; keysFor: (object: KubeObject) => string[] }[] = [];
  private running = false;
  /** Whether this replica may act on a key now (sharding); every key when unset. */
  private owns: (key: string) => boolean = () => true;

  constructor(reconciler: Reconciler, options: ControllerOptions) {
    this.reconciler = reconciler;
    this.options = options;
    const log = options.log.child({ controller: reconciler.kind });
    this.queue = new WorkQueue({
      workers: options.workers,
      backoff: { baseMs: 500, maxMs: 5 * 60_000, jitter: 0.2 },
      onError: (key, error, retryInMs) => log.warn({ key, err: errorMessage(error), retryInMs }, 'reconcile failed; will retry'),
      onDequeue: (waitedMs) => options.metrics.queueWait.observe({ kind: reconciler.kind }, waitedMs / 1000),
    });
  }

  /**
   * Reconcile objects of this informer. `keysFor` maps a changed object to the keys it affects (e.g. a
   * Deployment to the Canaries that target it); by default the object's own key.
   */
  watch<T extends KubeObject>(informer: Informer<T>, keysFor: (object: T) => string[] = (object) => [keyOf(object)]): void {
    this.sources.push({ informer: informer as unknown as Informer, keysFor: keysFor as (object: KubeObject) => string[] });
    informer.on((event) => {
      for (const key of keysFor(event.object)) this.queue.add(key);
      this.options.metrics.queueDepth.set({ kind: this.reconciler.kind }, this.queue.length);
    });
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  /**
   * Queues every cached object (or those whose keys `only` accepts): on becoming leader, or on gaining
   * a shard, timers armed by the previous owner are gone.
   */
  enqueueAll(only: (key: string) => boolean = () => true): void {
    for (const { informer, keysFor } of this.sources) {
      for (const object of informer.list()) for (const key of keysFor(object)) if (only(key)) this.queue.add(key);
    }
  }

  /**
   * Acts only on keys `owns` accepts: others are dropped when a worker takes them, and queued again by
   * enqueueAll when this replica gains them.
   */
  gate(owns: (key: string) => boolean): void {
    this.owns = owns;
  }

  /** Keys being reconciled now. */
  get inProgress(): string[] {
    return this.queue.inProgress;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { metrics } = this.options;
    const kind = this.reconciler.kind;
    this.queue.start(async (key) => {
      if (!this.owns(key)) return;
      const stopTimer = metrics.reconcileDuration.startTimer({ kind });
      try {
        const result = await this.reconciler.reconcile(key);
        metrics.reconcileTotal.inc({ kind, result: 'success' });
        return result;
      } catch (error) {
        metrics.reconcileTotal.inc({ kind, result: 'error' });
        throw error;
      } finally {
        stopTimer();
        metrics.queueDepth.set({ kind }, this.queue.length);
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.queue.stop();
  }
}
