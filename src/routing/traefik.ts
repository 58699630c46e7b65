// The traefik provider: a TraefikService <svc> (Traefik v1alpha1) that splits traffic between
// <svc>-primary and <svc>-canary by weight, or mirrors the primary's requests to the canary. The
// user's IngressRoute sends its traffic to it. On deletion the TraefikService goes.
import type { RouterContext } from './registry.ts';
import { buildTraefikService, traefikServiceRoutes } from './traefik-objects.ts';
import { TRAEFIK_SERVICES } from './route-types.ts';
import { SingleObjectRouter } from './single-object-router.ts';

export class TraefikRouter extends SingleObjectRouter {
  constructor(context: RouterContext) {
    super(context, { type: TRAEFIK_SERVICES, build: buildTraefikService, read: traefikServiceRoutes });
  }
}
