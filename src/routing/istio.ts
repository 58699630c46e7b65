// The istio provider: a VirtualService <svc> whose HTTP routes split traffic between <svc>-primary
// and <svc>-canary by weight, by request match (A/B), by mirroring or by cookie, plus a
// DestinationRule per side that carries the Canary's traffic policy.
import type { Canary } from '../api/canary.ts';
import { buildDestinationRules, buildVirtualService, releasedVirtualService, virtualServiceRoutes } from './istio-objects.ts';
import type { RouterContext } from './router-context.ts';
import type { RouteObjects } from './route-objects.ts';
import { DESTINATION_RULES, VIRTUAL_SERVICES } from './route-types.ts';
import type { Routes, TrafficRouter } from './router.ts';
import { serviceNames } from './route-shape.ts';
import type { ServiceApplier } from './service-applier.ts';

export class IstioRouter implements TrafficRouter {
  readonly weighted = true;
  private readonly services: ServiceApplier;
  private readonly virtualServices: RouteObjects;
  private readonly destinationRules: RouteObjects;

  constructor(context: RouterContext) {
    this.services = context.services;
    this.virtualServices = context.objects(VIRTUAL_SERVICES);
    this.destinationRules = context.objects(DESTINATION_RULES);
  }

  async reconcile(canary: Canary): Promise<void> {
    await this.setRoutes(canary, this.getRoutes(canary) ?? { primaryWeight: 100, canaryWeight: 0 });
  }

  async setRoutes(canary: Canary, routes: Routes): Promise<void> {
    await this.services.ensure(canary, 'primary');
    for (const rule of buildDestinationRules(canary)) await this.destinationRules.ensure(rule);
    await this.virtualServices.ensure(buildVirtualService(canary, routes));
  }

  getRoutes(canary: Canary): Routes | undefined {
    return virtualServiceRoutes(canary, this.virtualServices.get(canary.metadata?.namespace, serviceNames(canary).apex));
  }

  async finalize(canary: Canary): Promise<void> {
    const names = serviceNames(canary);
    const namespace = canary.metadata?.namespace;
    await this.services.ensure(canary, 'canary', { owned: false });
    await this.virtualServices.release(namespace, names.apex, releasedVirtualService(canary));
    for (const name of [names.primary, names.canary]) await this.destinationRules.release(namespace, name);
  }
}
