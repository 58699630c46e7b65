// The gatewayapi provider: an HTTPRoute <svc> (Gateway API v1) whose rules split traffic between
// <svc>-primary and <svc>-canary by weight, by request match (A/B), by mirroring or by cookie.
import type { RouterContext } from './registry.ts';
import { buildHttpRoute, httpRouteRoutes, releasedHttpRoute } from './gatewayapi-route.ts';
import { HTTP_ROUTES } from './route-types.ts';
import { SingleObjectRouter } from './single-object-router.ts';

export class GatewayApiRouter extends SingleObjectRouter {
  constructor(context: RouterContext) {
    super(context, { type: HTTP_ROUTES, build: buildHttpRoute, read: httpRouteRoutes, released: releasedHttpRoute });
  }
}
