// The nginx provider (NGINX Ingress controller): next to the user's Ingress (spec.ingressRef, never
// modified) a canary Ingress <ingress>-canary sends a weight, or the requests that match
// spec.analysis.match, to <svc>-canary. The apex Service points at the primary meanwhile.
import type { Canary } from '../api/canary.ts';
import { buildCanaryIngress, canaryIngressName, canaryIngressRoutes, DEFAULT_ANNOTATION_PREFIX, userIngressName } from './nginx-objects.ts';
import type { RouterContext } from './router-context.ts';
import type { RouteObjects } from './route-objects.ts';
import { INGRESSES } from './route-types.ts';
import type { Routes, TrafficRouter } from './router.ts';
import type { ServiceApplier } from './service-applier.ts';

export interface NginxRouterOptions {
  /** Prefix of the controller's annotations (ingress-nginx's --annotations-prefix). */
  annotationPrefix?: string;
}

export class NginxRouter implements TrafficRouter {
  readonly weighted = true;
  private readonly services: ServiceApplier;
  private readonly ingresses: RouteObjects;
  private readonly prefix: string;

  constructor(context: RouterContext, options: NginxRouterOptions = {}) {
    this.services = context.services;
    this.ingresses = context.objects(INGRESSES);
    this.prefix = options.annotationPrefix || DEFAULT_ANNOTATION_PREFIX;
  }

  async reconcile(canary: Canary): Promise<void> {
    await this.setRoutes(canary, this.getRoutes(canary) ?? { primaryWeight: 100, canaryWeight: 0 });
  }

  async setRoutes(canary: Canary, routes: Routes): Promise<void> {
    const namespace = canary.metadata?.namespace;
    const name = userIngressName(canary);
    await this.services.ensure(canary, 'primary');
    await this.ingresses.synced();
    const userIngress = this.ingresses.get(namespace, name);
    if (!userIngress)
      throw new Error(`Ingress ${namespace}/${name} named by spec.ingressRef of Canary ${canary.metadata?.name ?? ''} does not exist`);
    await this.ingresses.ensure(buildCanaryIngress(canary, userIngress, routes, this.prefix));
  }

  getRoutes(canary: Canary): Routes | undefined {
    return canaryIngressRoutes(canary, this.ingresses.get(canary.metadata?.namespace, canaryIngressName(canary)), this.prefix);
  }

  /**
   * The apex Service selects the target's pods again and the canary Ingress goes; the user's
   * Ingress routes as before. Without spec.ingressRef no canary Ingress was ever made, and
   * throwing would hold the Canary's deletion up forever, so only the Service is handed back.
   */
  async finalize(canary: Canary): Promise<void> {
    await this.services.ensure(canary, 'canary', { owned: false });
    if (!canary.spec.ingressRef?.name) return;
    await this.ingresses.release(canary.metadata?.namespace, canaryIngressName(canary));
  }
}
