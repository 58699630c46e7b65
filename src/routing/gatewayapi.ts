// The gatewayapi provider: an HTTPRoute <svc> (Gateway API v1) whose rules split traffic between
// <svc>-primary and <svc>-canary by weight, by request match (A/B), by mirroring or by cookie.
import type { Canary } from '../api/canary.ts';
import { buildHttpRoute, httpRouteRoutes, releasedHttpRoute } from './gatewayapi-route.ts';
import type { RouterContext } from './registry.ts';
import type { RouteObjects } from './route-objects.ts';
import { HTTP_ROUTES } from './route-types.ts';
import type { Routes, TrafficRouter } from './router.ts';
import { serviceNames } from './route-shape.ts';
import type { ServiceApplier } from './service-applier.ts';

export class GatewayApiRouter implements TrafficRouter {
  readonly weighted = true;
  private readonly services: ServiceApplier;
  private readonly routes: RouteObjects;

  constructor(context: RouterContext) {
    this.services = context.services;
    this.routes = context.objects(HTTP_ROUTES);
  }

  async reconcile(canary: Canary): Promise<void> {
    await this.setRoutes(canary, this.getRoutes(canary) ?? { primaryWeight: 100, canaryWeight: 0 });
  }

  async setRoutes(canary: Canary, routes: Routes): Promise<void> {
    await this.services.ensure(canary, 'primary');
    await this.routes.ensure(buildHttpRoute(canary, routes));
  }

  getRoutes(canary: Canary): Routes | undefined {
    return httpRouteRoutes(canary, this.routes.get(canary.metadata?.namespace, serviceNames(canary).apex));
  }

  async finalize(canary: Canary): Promise<void> {
    await this.services.ensure(canary, 'canary', { owned: false });
    await this.routes.release(canary.metadata?.namespace, serviceNames(canary).apex, releasedHttpRoute(canary));
  }
}
