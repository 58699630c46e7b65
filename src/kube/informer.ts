// A watch-backed cache of one resource type. It lists once, then follows a watch from the list's
// resourceVersion; it survives everything a long-running watch meets in production: the server
// closing it (re-watch from the last version), 410 Gone (relist and diff), network errors and an
// API server restart (back off, then resume), and a connection that silently stops delivering.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.ts';
import { isGone } from './api-error.ts';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import type { KubeClient } from './client.ts';
import { keyOf, type KubeObject, type ObjectMeta } from './objects.ts';
import { apiVersionOf, type ResourceType } from './resource-types.ts';
import { watchStream, type WatchEvent } from './watch-stream.ts';

export type InformerEvent<T> = { type: 'added'; object: T } | { type: 'updated'; object: T; old: T } | { type: 'deleted'; object: T };

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  /** Objects the server leaves out of the list and watch, e.g. `type!=...` for Secrets nobody reads from the cache. */
  fieldSelector?: string;
  /** Server-side watch timeout range; each watch picks a random value so informers do not reconnect in step. */
  watchTimeoutSeconds?: [number, number];
  backoff?: BackoffPolicy;
  /** Reshapes each object before it is cached, e.g. to keep a checksum instead of secret data. */
  transform?: (object: KubeObject) => KubeObject;
}

/** What a cache keeps: which objects (a field selector) and in what shape (a transform). */
export type CacheShape = Pick<InformerOptions, 'fieldSelector' | 'transform'>;

/** Maps an object to the index values it is found under (e.g. a Canary to its target's name). */
export type IndexFunction<T> = (object: T) => string[];

export interface InformerStats {
  lists: number;
  watches: number;
  restarts: number;
}

/** What a cache holds: its objects, and their size as JSON (a proxy for the heap they take). */
export interface CacheFootprint {
  objects: number;
  jsonBytes: number;
}

const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 30_000, jitter: 0.3 };

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Cached objects drop managedFields and kubectl's last-applied copy of the object: Wren never reads
 * them, and together they are often larger than the rest of the object.
 */
function slim<T extends KubeObject>(object: T): T {
  const metadata = object.metadata as (ObjectMeta & { managedFields?: unknown }) | undefined;
  if (!metadata || (!('managedFields' in metadata) && !metadata.annotations?.[LAST_APPLIED])) return object;
  const { managedFields: _dropped, ...rest }: ObjectMeta & { managedFields?: unknown } = metadata;
  if (rest.annotations?.[LAST_APPLIED]) {
    const { [LAST_APPLIED]: _lastApplied, ...annotations } = rest.annotations;
    rest.annotations = annotations;
  }
  return { ...object, metadata: rest };
}

export class Informer<T extends KubeObject = KubeObject> {
  readonly type: ResourceType;
  readonly stats: InformerStats = { lists: 0, watches: 0, restarts: 0 };
  private readonly client: KubeClient;
  private readonly options: InformerOptions;
  private readonly log: Logger;
  private readonly store = new Map<string, T>();
  /** JSON size of each cached object, counted once when it enters the cache. */
  private readonly sizes = new Map<string, number>();
  private jsonBytes = 0;
  private readonly handlers: ((event: InformerEvent<T>) => void)[] = [];
  private readonly syncWaiters: (() => void)[] = [];
  private readonly indexers = new Map<string, IndexFunction<T>>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  private resourceVersion = '';
  private hasSynced = false;
  private abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(client: KubeClient, type: ResourceType, log: Logger, options: InformerOptions = {}) {
    this.client = client;
    this.type = type;
    this.options = options;
    this.log = log.child({ informer: type.plural, namespace: options.namespace });
  }

  get synced(): boolean {
    return this.hasSynced;
  }

  on(handler: (event: InformerEvent<T>) => void): void {
    this.handlers.push(handler);
  }

  get(key: string): T | undefined {
    return this.store.get(key);
  }

  /** Adds a secondary index, kept up to date with the cache; add indices before start(). */
  addIndex(name: string, indexFunction: IndexFunction<T>): void {
    this.indexers.set(name, indexFunction);
    const index = new Map<string, Set<string>>();
    this.indices.set(name, index);
    for (const [key, object] of this.store) this.indexObject(name, key, object, 'add');
  }

  /** Cached objects whose index `name` includes `value`. */
  byIndex(name: string, value: string): T[] {
    const keys = this.indices.get(name)?.get(value);
    if (!keys) return [];
    return [...keys].map((key) => this.store.get(key)).filter((object): object is T => object !== undefined);
  }

  private indexObject(name: string, key: string, object: T, change: 'add' | 'remove'): void {
    const index = this.indices.get(name) as Map<string, Set<string>>;
    for (const value of (this.indexers.get(name) as IndexFunction<T>)(object)) {
      let keys = index.get(value);
      if (change === 'add') {
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      } else if (keys) {
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }

  private put(key: string, object: T): T | undefined {
    const old = this.store.get(key);
    for (const name of this.indexers.keys()) {
      if (old) this.indexObject(name, key, old, 'remove');
      this.indexObject(name, key, object, 'add');
    }
    this.store.set(key, object);
    this.account(key, JSON.stringify(object).length);
    return old;
  }

  private account(key: string, size: number | undefined): void {
    this.jsonBytes += (size ?? 0) - (this.sizes.get(key) ?? 0);
    if (size === undefined) this.sizes.delete(key);
    else this.sizes.set(key, size);
  }

  get footprint(): CacheFootprint {
    return { objects: this.store.size, jsonBytes: this.jsonBytes };
  }

  private remove(key: string): void {
    const old = this.store.get(key);
    if (!old) return;
    for (const name of this.indexers.keys()) this.indexObject(name, key, old, 'remove');
    this.store.delete(key);
    this.account(key, undefined);
  }

  list(): T[] {
    return [...this.store.values()];
  }

  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.loop = undefined;
  }

  waitForSync(): Promise<void> {
    if (this.hasSynced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!this.resourceVersion) await this.relist();
        this.stats.watches += 1;
        await watchStream<T>(
          this.client,
          this.type,
          this.options.namespace,
          {
            resourceVersion: this.resourceVersion,
            timeoutSeconds: this.watchTimeout(),
            labelSelector: this.options.labelSelector,
            fieldSelector: this.options.fieldSelector,
          },
          (event) => this.apply(event),
          signal,
        );
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        this.stats.restarts += 1;
        if (isGone(error)) {
          this.log.info('watch expired (410 Gone); relisting');
          this.resourceVersion = '';
          continue;
        }
        failures += 1;
        const delay = backoffDelay(this.options.backoff ?? DEFAULT_BACKOFF, failures);
        this.log.warn({ err: errorMessage(error), retryInMs: delay }, 'watch failed; resuming');
        await sleep(delay, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private watchTimeout(): number {
    const [low, high] = this.options.watchTimeoutSeconds ?? [120, 180];
    return Math.round(low + Math.random() * (high - low));
  }

  private async relist(): Promise<void> {
    this.stats.lists += 1;
    const { items, resourceVersion } = await this.client.listAll<T>(this.type, this.options.namespace, {
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
    });
    const seen = new Set<string>();
    for (const raw of items) {
      const object = this.shape({ ...raw, apiVersion: raw.apiVersion ?? apiVersionOf(this.type), kind: raw.kind ?? this.type.kind });
      const key = keyOf(object);
      seen.add(key);
      const old = this.put(key, object);
      if (!old) this.emit({ type: 'added', object });
      else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) this.emit({ type: 'updated', object, old });
    }
    for (const [key, object] of this.store) {
      if (!seen.has(key)) {
        this.remove(key);
        this.emit({ type: 'deleted', object });
      }
    }
    this.resourceVersion = resourceVersion;
    if (!this.hasSynced) {
      this.hasSynced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  private apply(event: WatchEvent<T>): void {
    const version = event.object.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') {
      if (version) this.resourceVersion = version;
      return;
    }
    const object = this.shape(event.object);
    const key = keyOf(object);
    if (event.type === 'DELETED') {
      this.remove(key);
      this.emit({ type: 'deleted', object });
    } else {
      const old = this.put(key, object);
      this.emit(old ? { type: 'updated', object, old } : { type: 'added', object });
    }
    if (version) this.resourceVersion = version;
  }

  private shape(object: T): T {
    const slimmed = slim(object);
    return this.options.transform ? (this.options.transform(slimmed) as T) : slimmed;
  }

  private emit(event: InformerEvent<T>): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        this.log.error({ err: errorMessage(error) }, 'informer handler failed');
      }
    }
  }
}
