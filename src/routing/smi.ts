// The smi and linkerd providers: a TrafficSplit <svc> (SMI v1alpha2) that splits the apex Service's
// traffic between <svc>-primary and <svc>-canary by weight. On deletion the TrafficSplit goes and
// the apex Service, switched to the target's pods, takes all traffic.
import type { RouterContext } from './registry.ts';
import { buildTrafficSplit, trafficSplitRoutes } from './smi-objects.ts';
import { TRAFFIC_SPLITS } from './route-types.ts';
import { SingleObjectRouter } from './single-object-router.ts';

export class SmiRouter extends SingleObjectRouter {
  constructor(context: RouterContext) {
    super(context, { type: TRAFFIC_SPLITS, build: buildTrafficSplit, read: trafficSplitRoutes });
  }
}
