// What a router is built with: the Services, and the routing objects of any kind it writes. Its own
// file, so that providers and the registry that builds them never import each other.
import type { ResourceType } from '../kube/resource-types.ts';
import type { RouteObjects } from './route-objects.ts';
import type { ServiceApplier } from './service-applier.ts';

export interface RouterContext {
  services: ServiceApplier;
  objects(type: ResourceType): RouteObjects;
  options: RouterOptions;
}

export interface RouterOptions {
  /** Annotation prefix of the NGINX ingress controller. */
  ingressAnnotationsPrefix?: string;
}
