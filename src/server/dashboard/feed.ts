// Live updates for every open page from one subscription per watch cache: each cache change becomes
// one message for the viewers whose namespace and kinds it concerns. No viewer causes an API request.
import type { Canary } from '../../api/canary.ts';
import type { GitSync } from '../../api/git-sync.ts';
import type { ImagePolicy } from '../../api/image-policy.ts';
import type { InformerEvent } from '../../kube/informer.ts';
import type { KubeObject } from '../../kube/objects.ts';
import { canaryPoint, canaryRow } from './canary-view.ts';
import { gitSyncRow } from './gitsync-view.ts';
import { imagePolicyRow } from './image-policy-view.ts';
import type { DashboardKind } from './permissions.ts';

export interface CacheView<T extends KubeObject> {
  list(): T[];
  get(key: string): T | undefined;
  on(handler: (event: InformerEvent<T>) => void): void;
}

export interface DashboardCaches {
  canaries: CacheView<Canary>;
  gitsyncs: CacheView<GitSync>;
  imagepolicies: CacheView<ImagePolicy>;
}

export interface FeedMessage {
  kind: DashboardKind;
  action: 'upsert' | 'delete';
  namespace: string;
  name: string;
  row: unknown;
  /** Canaries: the weight and check values at this moment, for the chart. */
  point?: unknown;
}

type Listener = (message: FeedMessage) => void;

export function feedMessage(kind: DashboardKind, event: InformerEvent<KubeObject>, now: number): FeedMessage {
  const object = event.object;
  const base = {
    kind,
    action: event.type === 'deleted' ? ('delete' as const) : ('upsert' as const),
    namespace: object.metadata?.namespace ?? '',
    name: object.metadata?.name ?? '',
  };
  if (kind === 'canaries') return { ...base, row: canaryRow(object as Canary), point: canaryPoint(object as Canary, now) };
  if (kind === 'gitsyncs') return { ...base, row: gitSyncRow(object as GitSync) };
  return { ...base, row: imagePolicyRow(object as ImagePolicy) };
}

export class DashboardFeed {
  private readonly listeners = new Set<Listener>();

  constructor(caches: DashboardCaches, now: () => number = Date.now) {
    for (const kind of ['canaries', 'gitsyncs', 'imagepolicies'] as const) {
      (caches[kind] as CacheView<KubeObject>).on((event) => {
        if (this.listeners.size === 0) return;
        const message = feedMessage(kind, event, now());
        // A viewer whose connection broke must not stop the cache's other handlers.
        for (const listener of this.listeners) {
          try {
            listener(message);
          } catch {
            this.listeners.delete(listener);
          }
        }
      });
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get viewers(): number {
    return this.listeners.size;
  }
}
