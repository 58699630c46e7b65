// A work queue with the guarantees a controller needs: a key is never processed by two workers at
// once, a key added while it is being processed runs again afterwards (never lost), duplicate adds
// collapse, and failures are retried with per-key exponential backoff.
import { backoffDelay, type BackoffPolicy } from './backoff.ts';

export interface ReconcileResult {
  /** Process the key again after this many milliseconds (timers that live in status are re-armed this way). */
  requeueAfterMs?: number;
}

export type KeyHandler = (key: string) => Promise<ReconcileResult | void>;

export interface WorkQueueOptions {
  workers: number;
  backoff: BackoffPolicy;
  /** Told about every failed attempt; the key is retried regardless. */
  onError?: (key: string, error: unknown, retryInMs: number) => void;
  /** Told how long each key waited in the queue before a worker took it. */
  onDequeue?: (waitedMs: number) => void;
}

export class WorkQueue {
  private readonly options: WorkQueueOptions;
  private readonly queue: string[] = [];
  /** Keys waiting, with when each was queued. */
  private readonly queued = new Map<string, number>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly idleWorkers: (() => void)[] = [];
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(options: WorkQueueOptions) {
    this.options = options;
  }

  get length(): number {
    return this.queue.length;
  }

  /** Keys a worker is processing now. */
  get inProgress(): string[] {
    return [...this.processing];
  }

  add(key: string): void {
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.set(key, performance.now());
    this.queue.push(key);
    this.idleWorkers.shift()?.();
  }

  /** Adds the key after a delay; an earlier pending delay for the same key wins. */
  addAfter(key: string, delayMs: number): void {
    // Even a zero delay goes through a timer: a key that keeps asking to run again at once must not
    // starve the I/O its own progress waits for.
    const at = Date.now() + delayMs;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  start(handler: KeyHandler): void {
    if (this.running) return;
    this.running = true;
    this.workers = Array.from({ length: this.options.workers }, () => this.work(handler));
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.idleWorkers.splice(0)) wake();
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.workers);
  }

  private async work(handler: KeyHandler): Promise<void> {
    while (this.running) {
      const key = this.queue.shift();
      if (key === undefined) {
        await new Promise<void>((resolve) => this.idleWorkers.push(resolve));
        continue;
      }
      this.options.onDequeue?.(performance.now() - (this.queued.get(key) ?? performance.now()));
      this.queued.delete(key);
      this.processing.add(key);
      try {
        const result = await handler(key);
        this.failures.delete(key);
        if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
      } catch (error) {
        const failures = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, failures);
        const delay = backoffDelay(this.options.backoff, failures);
        this.options.onError?.(key, error, delay);
        this.addAfter(key, delay);
      } finally {
        this.processing.delete(key);
        if (this.dirty.delete(key)) this.add(key);
      }
    }
  }
}
