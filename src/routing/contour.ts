// The contour provider: an HTTPProxy <svc> (Contour v1) whose routes split traffic between
// <svc>-primary and <svc>-canary by weight or by request match (A/B). On deletion the HTTPProxy is
// handed back sending everything to the apex Service.
import type { RouterContext } from './registry.ts';
import { buildHttpProxy, httpProxyRoutes, releasedHttpProxy } from './contour-objects.ts';
import { HTTP_PROXIES } from './route-types.ts';
import { SingleObjectRouter } from './single-object-router.ts';

export class ContourRouter extends SingleObjectRouter {
  constructor(context: RouterContext) {
    super(context, { type: HTTP_PROXIES, build: buildHttpProxy, read: httpProxyRoutes, released: releasedHttpProxy });
  }
}
