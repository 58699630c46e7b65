// REST coordinates of the routing objects the traffic providers write.
import type { ResourceType } from '../kube/resource-types.ts';

const type = (group: string, version: string, kind: string, plural: string): ResourceType => ({
  group,
  version,
  kind,
  plural,
  namespaced: true,
});

export const INGRESSES = type('networking.k8s.io', 'v1', 'Ingress', 'ingresses');
export const GATEWAYS = type('gateway.networking.k8s.io', 'v1', 'Gateway', 'gateways');
export const HTTP_ROUTES = type('gateway.networking.k8s.io', 'v1', 'HTTPRoute', 'httproutes');
export const VIRTUAL_SERVICES = type('networking.istio.io', 'v1', 'VirtualService', 'virtualservices');
export const DESTINATION_RULES = type('networking.istio.io', 'v1', 'DestinationRule', 'destinationrules');
export const TRAFFIC_SPLITS = type('split.smi-spec.io', 'v1alpha2', 'TrafficSplit', 'trafficsplits');
export const HTTP_PROXIES = type('projectcontour.io', 'v1', 'HTTPProxy', 'httpproxies');
export const TRAEFIK_SERVICES = type('traefik.io', 'v1alpha1', 'TraefikService', 'traefikservices');
export const INGRESS_ROUTES = type('traefik.io', 'v1alpha1', 'IngressRoute', 'ingressroutes');
