// The traefik provider: a TraefikService <svc> (Traefik v1alpha1) that splits traffic between
// <svc>-primary and <svc>-canary by weight, or mirrors the primary's requests to the canary. The
// user's IngressRoute sends its traffic to it. On deletion the TraefikService goes.
import type { Canary } from '../api/canary.ts';
import type { RouterContext } from './registry.ts';
import type { RouteObjects } from './route-objects.ts';
import { TRAEFIK_SERVICES } from './route-types.ts';
import type { Routes, TrafficRouter } from './router.ts';
import { serviceNames } from './route-shape.ts';
import type { ServiceApplier } from './service-applier.ts';
import { buildTraefikService, traefikServiceRoutes } from './traefik-objects.ts';

export class TraefikRouter implements TrafficRouter {
  readonly weighted = true;
  private readonly services: ServiceApplier;
  private readonly traefikServices: RouteObjects;

  constructor(context: RouterContext) {
    this.services = context.services;
    this.traefikServices = context.objects(TRAEFIK_SERVICES);
  }

  async reconcile(canary: Canary): Promise<void> {
    await this.setRoutes(canary, this.getRoutes(canary) ?? { primaryWeight: 100, canaryWeight: 0 });
  }

  async setRoutes(canary: Canary, routes: Routes): Promise<void> {
    await this.services.ensure(canary, 'primary');
    await this.traefikServices.ensure(buildTraefikService(canary, routes));
  }

  getRoutes(canary: Canary): Routes | undefined {
    return traefikServiceRoutes(canary, this.traefikServices.get(canary.metadata?.namespace, serviceNames(canary).apex));
  }

  async finalize(canary: Canary): Promise<void> {
    await this.services.ensure(canary, 'canary', { owned: false });
    await this.traefikServices.release(canary.metadata?.namespace, serviceNames(canary).apex);
  }
}
