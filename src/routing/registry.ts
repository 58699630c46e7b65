// Traffic providers by name. Adding a provider: one file implementing TrafficRouter, one line here.
import type { Canary } from '../api/canary.ts';
import { normalizeProvider, type TrafficProvider } from '../api/providers.ts';
import type { RecentApplies } from '../kube/apply-if-changed.ts';
import type { KubeClient } from '../kube/client.ts';
import type { ResourceType } from '../kube/resource-types.ts';
import { ContourRouter } from './contour.ts';
import { GatewayApiRouter } from './gatewayapi.ts';
import { IstioRouter } from './istio.ts';
import { KubernetesRouter } from './kubernetes.ts';
import { NginxRouter } from './nginx.ts';
import { RouteObjects, type WatchStarter } from './route-objects.ts';
import type { TrafficRouter } from './router.ts';
import type { ServiceApplier } from './service-applier.ts';
import { SmiRouter } from './smi.ts';
import { TraefikRouter } from './traefik.ts';

/** What a router is built with: the Services, and the routing objects of any kind it writes. */
export interface RouterContext {
  services: ServiceApplier;
  objects(type: ResourceType): RouteObjects;
  options: RouterOptions;
}

export interface RouterOptions {
  /** Annotation prefix of the NGINX ingress controller. */
  ingressAnnotationsPrefix?: string;
}

type RouterFactory = (context: RouterContext) => TrafficRouter;

const FACTORIES: Record<TrafficProvider, RouterFactory> = {
  kubernetes: (context) => new KubernetesRouter(context.services),
  gatewayapi: (context) => new GatewayApiRouter(context),
  istio: (context) => new IstioRouter(context),
  nginx: (context) => new NginxRouter(context, { annotationPrefix: context.options.ingressAnnotationsPrefix }),
  // Linkerd routes by SMI TrafficSplit, as Flagger does.
  linkerd: (context) => new SmiRouter(context),
  smi: (context) => new SmiRouter(context),
  contour: (context) => new ContourRouter(context),
  traefik: (context) => new TraefikRouter(context),
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
