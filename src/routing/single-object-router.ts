// A provider whose routing is one object named after the apex Service (an HTTPRoute, a TrafficSplit,
// an HTTPProxy, a TraefikService): the provider only says how that object looks for given routes,
// how to read routes back from it, and what is left of it when the Canary is deleted.
import type { Canary } from '../api/canary.ts';
import type { ResourceType } from '../kube/resource-types.ts';
import type { RouterContext } from './router-context.ts';
import type { RouteObject, RouteObjects } from './route-objects.ts';
import type { Routes, TrafficRouter } from './router.ts';
import { serviceNames } from './route-shape.ts';
import type { ServiceApplier } from './service-applier.ts';

export interface RouteObjectKind {
  type: ResourceType;
  build(canary: Canary, routes: Routes): RouteObject;
  /** Routes the object sends traffic by; may throw when the provider refuses the object. */
  read(canary: Canary, object: RouteObject | undefined): Routes | undefined;
  /** What stays when the Canary is deleted with revertOnDeletion; without it the object is deleted. */
  released?(canary: Canary): RouteObject;
}

export class SingleObjectRouter implements TrafficRouter {
  readonly weighted = true;
  private readonly services: ServiceApplier;
  private readonly objects: RouteObjects;
  private readonly kind: RouteObjectKind;

  constructor(context: RouterContext, kind: RouteObjectKind) {
    this.services = context.services;
    this.objects = context.objects(kind.type);
    this.kind = kind;
  }

  async reconcile(canary: Canary): Promise<void> {
    await this.setRoutes(canary, this.getRoutes(canary) ?? { primaryWeight: 100, canaryWeight: 0 });
  }

  async setRoutes(canary: Canary, routes: Routes): Promise<void> {
    await this.services.ensure(canary, 'primary');
    await this.objects.ensure(this.kind.build(canary, routes));
  }

  getRoutes(canary: Canary): Routes | undefined {
    return this.kind.read(canary, this.objects.get(canary.metadata?.namespace, serviceNames(canary).apex));
  }

  /** The apex Service goes back to the target's pods; the object is handed back. */
  async finalize(canary: Canary): Promise<void> {
    await this.services.ensure(canary, 'canary', { owned: false });
    await this.objects.release(canary.metadata?.namespace, serviceNames(canary).apex, this.kind.released?.(canary));
  }
}
