// The routing objects of one kind that a provider owns (HTTPRoutes, VirtualServices, canary
// Ingresses ...). Their kind is watched only once a Canary uses the provider, since its CRDs need
// not be installed otherwise. Writes are server-side applies with field manager wren, made only
// when what Wren wants changed, so fields that users or other controllers own survive. An object
// that existed before Wren took it over keeps its original spec in an annotation, and gets it back
// when the Canary is deleted with revertOnDeletion.
import { setTimeout as sleep } from 'node:timers/promises';
import { isNotFound } from '../kube/api-error.ts';
import { applyIfChanged, APPLIED_HASH_ANNOTATION, type RecentApplies } from '../kube/apply-if-changed.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Informer } from '../kube/informer.ts';
import type { KubeObject } from '../kube/objects.ts';
import { apiVersionOf, type ResourceType } from '../kube/resource-types.ts';

export const ORIGINAL_SPEC_ANNOTATION = 'wren.dev/original-spec';
const SYNC_WAIT_MS = 5_000;

export type RouteObject = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

/** Starts (once) and returns the watch cache of a kind, wired to wake the Canaries that own its objects. */
export type WatchStarter = (type: ResourceType) => Informer<RouteObject>;

export class RouteObjects {
  readonly type: ResourceType;
  private readonly client: KubeClient;
  private readonly recent: RecentApplies;
  private readonly startWatch: WatchStarter;
  private cache: Informer<RouteObject> | undefined;

  constructor(type: ResourceType, client: KubeClient, recent: RecentApplies, startWatch: WatchStarter) {
    this.type = type;
    this.client = client;
    this.recent = recent;
    this.startWatch = startWatch;
  }

  private informer(): Informer<RouteObject> {
    this.cache ??= this.startWatch(this.type);
    return this.cache;
  }

  /**
   * Waits (briefly, on first use) for the watch to list the kind: adopting an object or handing it
   * back must see what is there. A kind that cannot be listed is almost always a missing CRD.
   */
  async synced(): Promise<void> {
    const informer = this.informer();
    if (informer.synced) return;
    await Promise.race([informer.waitForSync(), sleep(SYNC_WAIT_MS)]);
    if (!informer.synced)
      throw new Error(`cannot list ${this.type.plural}.${this.type.group}/${this.type.version}: is the ${this.type.kind} CRD installed?`);
  }

  /** The object as last seen; undefined while it does not exist or the watch has not caught up. */
  get(namespace: string | undefined, name: string): RouteObject | undefined {
    return this.informer().get(`${namespace}/${name}`);
  }

  /** Makes the object look as wanted in the fields Wren sets; writes nothing when it already does. */
  async ensure(desired: RouteObject): Promise<void> {
    await this.synced();
    const observed = this.get(desired.metadata?.namespace, desired.metadata?.name ?? '');
    const object = { ...desired, apiVersion: apiVersionOf(this.type), kind: this.type.kind };
    const adopted = observed && !observed.metadata?.annotations?.[APPLIED_HASH_ANNOTATION];
    const original = adopted ? JSON.stringify(observed.spec ?? {}) : observed?.metadata?.annotations?.[ORIGINAL_SPEC_ANNOTATION];
    if (original)
      object.metadata = { ...object.metadata, annotations: { ...object.metadata?.annotations, [ORIGINAL_SPEC_ANNOTATION]: original } };
    await applyIfChanged(this.client, this.type, object, observed, this.recent);
  }

  /**
   * Hands the object back: the spec it had before Wren took it over; else `fallback`, left without
   * an owner so it outlives the Canary; else no object at all.
   */
  async release(namespace: string | undefined, name: string, fallback?: RouteObject): Promise<void> {
    await this.synced();
    const observed = this.get(namespace, name);
    const original = observed?.metadata?.annotations?.[ORIGINAL_SPEC_ANNOTATION];
    const apiVersion = apiVersionOf(this.type);
    // An apply without the fields Wren set before drops them (owner references, annotations included).
    if (observed && original) {
      await this.client.apply(this.type, { apiVersion, kind: this.type.kind, metadata: { name, namespace }, spec: JSON.parse(original) });
    } else if (fallback) {
      await this.client.apply(this.type, { ...fallback, apiVersion, kind: this.type.kind, metadata: { name, namespace } });
    } else {
      await this.client.delete(this.type, namespace, name).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    }
  }
}
