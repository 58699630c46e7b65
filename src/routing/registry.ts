// Traffic providers by name. Adding a provider: one file implementing TrafficRouter, one line here.
import type { Canary } from '../api/canary.ts';
import { normalizeProvider, type TrafficProvider } from '../api/providers.ts';
import type { RecentApplies } from '../kube/apply-if-changed.ts';
import type { KubeClient } from '../kube/client.ts';
import type { ResourceType } from '../kube/resource-types.ts';
import { HTTP_PROXY_KIND } from './contour-objects.ts';
import { HTTP_ROUTE_KIND } from './gatewayapi-route.ts';
import { IstioRouter } from './istio.ts';
import { KubernetesRouter } from './kubernetes.ts';
import { NginxRouter } from './nginx.ts';
import { RouteObjects, type WatchStarter } from './route-objects.ts';
import type { RouterContext, RouterOptions } from './router-context.ts';
import type { TrafficRouter } from './router.ts';
import type { ServiceApplier } from './service-applier.ts';
import { SingleObjectRouter, type RouteObjectKind } from './single-object-router.ts';
import { TRAFFIC_SPLIT_KIND } from './smi-objects.ts';
import { TRAEFIK_SERVICE_KIND } from './traefik-objects.ts';

type RouterFactory = (context: RouterContext) => TrafficRouter;

/** Providers whose routing is one object are data: how it is built, read back and released. */
const single =
  (kind: RouteObjectKind): RouterFactory =>
  (context) =>
    new SingleObjectRouter(context, kind);

const FACTORIES: Record<TrafficProvider, RouterFactory> = {
  kubernetes: (context) => new KubernetesRouter(context.services),
  gatewayapi: single(HTTP_ROUTE_KIND),
  istio: (context) => new IstioRouter(context),
  nginx: (context) => new NginxRouter(context, { annotationPrefix: context.options.ingressAnnotationsPrefix }),
  // Linkerd routes by SMI TrafficSplit, as Flagger does.
  linkerd: single(TRAFFIC_SPLIT_KIND),
  smi: single(TRAFFIC_SPLIT_KIND),
  contour: single(HTTP_PROXY_KIND),
  traefik: single(TRAEFIK_SERVICE_KIND),
};

export class RouterRegistry {
  private readonly routers = new Map<TrafficProvider, TrafficRouter>();
  private readonly objects = new Map<string, RouteObjects>();

  constructor(services: ServiceApplier, client: KubeClient, recent: RecentApplies, startWatch: WatchStarter, options: RouterOptions = {}) {
    const context: RouterContext = {
      services,
      options,
      objects: (type) => {
        const id = `${type.plural}.${type.group}`;
        let objects = this.objects.get(id);
        if (!objects) {
          objects = new RouteObjects(type, client, recent, startWatch);
          this.objects.set(id, objects);
        }
        return objects;
      },
    };
    for (const [name, factory] of Object.entries(FACTORIES) as [TrafficProvider, RouterFactory][]) {
      this.routers.set(name, factory(context));
    }
  }

  /** The router for a Canary, or undefined when this build has no router for its provider. */
  routerFor(canary: Canary, defaultProvider: string): TrafficRouter | undefined {
    const provider = normalizeProvider(canary.spec.provider ?? defaultProvider);
    return provider ? this.routers.get(provider) : undefined;
  }
}
