// Watch caches of every kind a GitSync applies, started the first time a sync needs the kind. Drift,
// health and "is it already applied" are read from here, so a resync that finds nothing changed
// sends no request. Changes to tracked objects wake the GitSync that applied them.
import type { Logger } from 'pino';
import type { KubeClient } from '../kube/client.ts';
import { Informer } from '../kube/informer.ts';
import { keyOf, type KubeObject } from '../kube/objects.ts';
import type { ResourceType } from '../kube/resource-types.ts';
import { withSecretDigests } from './secret-digest.ts';

const SYNC_TIMEOUT_MS = 30_000;

function waitWithin(promise: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const typeKey = (type: ResourceType) => `${type.group}/${type.plural}`;

export class LiveObjects {
  private readonly client: KubeClient;
  private readonly log: Logger;
  private readonly namespace: string | undefined;
  private readonly informers = new Map<string, Informer>();
  private readonly listeners: ((object: KubeObject) => void)[] = [];

  constructor(client: KubeClient, log: Logger, namespace?: string) {
    this.client = client;
    this.log = log;
    this.namespace = namespace;
  }

  /** Shares a cache the operator already runs (e.g. Canaries) instead of opening a second watch. */
  adopt(informer: Informer): void {
    this.informers.set(typeKey(informer.type), informer);
    informer.on((event) => {
      for (const listener of this.listeners) listener(event.object);
    });
  }

  /** Called with every added, changed or deleted object of every watched kind. */
  onChange(listener: (object: KubeObject) => void): void {
    this.listeners.push(listener);
  }

  /** The cache of a kind, started on first use and synced before it is returned. */
  async cacheOf(type: ResourceType): Promise<Informer> {
    let informer = this.informers.get(typeKey(type));
    if (!informer) {
      informer = new Informer(this.client, type, this.log, {
        ...(this.namespace ? { namespace: this.namespace } : {}),
        ...(type.kind === 'Secret' && type.group === '' ? { transform: withSecretDigests } : {}),
      });
      informer.on((event) => {
        for (const listener of this.listeners) listener(event.object);
      });
      this.informers.set(typeKey(type), informer);
      informer.start();
    }
    await waitWithin(informer.waitForSync(), SYNC_TIMEOUT_MS, `the watch of ${type.plural} did not sync within ${SYNC_TIMEOUT_MS / 1000}s`);
    return informer;
  }

  async get(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const informer = await this.cacheOf(type);
    return informer.get(keyOf({ metadata: { name, ...(type.namespaced && namespace ? { namespace } : {}) } }));
  }

  /** Every cache this holds, adopted ones included. */
  caches(): Informer[] {
    return [...this.informers.values()];
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((informer) => informer.stop()));
  }
}
