// The contour provider: an HTTPProxy <svc> (Contour v1) whose routes split traffic between
// <svc>-primary and <svc>-canary by weight or by request match (A/B). On deletion the HTTPProxy is
// handed back sending everything to the apex Service.
import type { Canary } from '../api/canary.ts';
import { buildHttpProxy, httpProxyRoutes, releasedHttpProxy } from './contour-objects.ts';
import type { RouterContext } from './registry.ts';
import type { RouteObjects } from './route-objects.ts';
import { HTTP_PROXIES } from './route-types.ts';
import type { Routes, TrafficRouter } from './router.ts';
import { serviceNames } from './route-shape.ts';
import type { ServiceApplier } from './service-applier.ts';

export class ContourRouter implements TrafficRouter {
  readonly weighted = true;
  private readonly services: ServiceApplier;
  private readonly proxies: RouteObjects;

  constructor(context: RouterContext) {
    this.services = context.services;
    this.proxies = context.objects(HTTP_PROXIES);
  }

  async reconcile(canary: Canary): Promise<void> {
    await this.setRoutes(canary, this.getRoutes(canary) ?? { primaryWeight: 100, canaryWeight: 0 });
  }

  async setRoutes(canary: Canary, routes: Routes): Promise<void> {
    await this.services.ensure(canary, 'primary');
    await this.proxies.ensure(buildHttpProxy(canary, routes));
  }

  getRoutes(canary: Canary): Routes | undefined {
    return httpProxyRoutes(canary, this.proxies.get(canary.metadata?.namespace, serviceNames(canary).apex));
  }

  async finalize(canary: Canary): Promise<void> {
    await this.services.ensure(canary, 'canary', { owned: false });
    await this.proxies.release(canary.metadata?.namespace, serviceNames(canary).apex, releasedHttpProxy(canary));
  }
}
