// The smi and linkerd providers: a TrafficSplit <svc> (SMI v1alpha2) that splits the apex Service's
// traffic between <svc>-primary and <svc>-canary by weight. On deletion the TrafficSplit goes and
// the apex Service, switched to the target's pods, takes all traffic.
import type { Canary } from '../api/canary.ts';
import type { RouterContext } from './registry.ts';
import type { RouteObjects } from './route-objects.ts';
import { TRAFFIC_SPLITS } from './route-types.ts';
import type { Routes, TrafficRouter } from './router.ts';
import { serviceNames } from './route-shape.ts';
import type { ServiceApplier } from './service-applier.ts';
import { buildTrafficSplit, trafficSplitRoutes } from './smi-objects.ts';

export class SmiRouter implements TrafficRouter {
  readonly weighted = true;
  private readonly services: ServiceApplier;
  private readonly splits: RouteObjects;

  constructor(context: RouterContext) {
    this.services = context.services;
    this.splits = context.objects(TRAFFIC_SPLITS);
  }

  async reconcile(canary: Canary): Promise<void> {
    await this.setRoutes(canary, this.getRoutes(canary) ?? { primaryWeight: 100, canaryWeight: 0 });
  }

  async setRoutes(canary: Canary, routes: Routes): Promise<void> {
    await this.services.ensure(canary, 'primary');
    await this.splits.ensure(buildTrafficSplit(canary, routes));
  }

  getRoutes(canary: Canary): Routes | undefined {
    return trafficSplitRoutes(canary, this.splits.get(canary.metadata?.namespace, serviceNames(canary).apex));
  }

  async finalize(canary: Canary): Promise<void> {
    await this.services.ensure(canary, 'canary', { owned: false });
    await this.splits.release(canary.metadata?.namespace, serviceNames(canary).apex);
  }
}
