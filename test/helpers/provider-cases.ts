// One entry per traffic provider for the routing tests: the CRDs to install, the provider-specific
// refs of an otherwise identical Canary, what must exist beforehand, and how to read where the
// provider's object sends traffic. The readers are written from the providers' documented object
// shapes, independently of Wren's own code, so a wrong object fails the test.
import type { KubeObject } from '../../src/kube/objects.ts';
import type { ResourceType } from '../../src/kube/resource-types.ts';
import { HTTP_PROXIES, HTTP_ROUTES, INGRESSES, TRAEFIK_SERVICES, TRAFFIC_SPLITS, VIRTUAL_SERVICES } from '../../src/routing/route-types.ts';
import type { TestCluster } from './cluster.ts';
import type { CrdSet } from './provider-crds.ts';

export interface Weights {
  primary: number;
  canary: number;
}

type Spec = Record<string, any>;

export interface ProviderCase {
  provider: string;
  crds?: CrdSet;
  /** The provider-specific part of the Canary spec. */
  refs: (app: string, namespace: string) => Record<string, unknown>;
  /** Objects the user has before the Canary exists (an Ingress for nginx). */
  prepare?: (cluster: TestCluster, app: string, namespace: string) => Promise<void>;
  /** The routing object Wren generates, by kind and name. */
  object: { type: ResourceType; name: (app: string) => string };
  /** Where the object sends requests that do not match an A/B rule. */
  weights: (object: KubeObject & { spec?: Spec; metadata?: any }, app: string) => Weights | undefined;
  /** For providers that can route by header: whether requests with x-canary: insider go to the canary. */
  headerRoutedToCanary?: (object: KubeObject & { spec?: Spec; metadata?: any }, app: string) => boolean;
  /** For providers that can mirror: whether requests are copied to the canary. */
  mirroredToCanary?: (object: KubeObject & { spec?: Spec; metadata?: any }, app: string) => boolean;
}

const byName = <T extends Record<string, any>>(items: T[] | undefined, key: string, name: string) =>
  items?.find((item) => item[key] === name);

function pairWeights(items: Record<string, any>[] | undefined, key: string, app: string, weight = 'weight'): Weights | undefined {
  const primary = byName(items, key, `${app}-primary`);
  const canary = byName(items, key, `${app}-canary`);
  if (!primary || !canary) return undefined;
  return { primary: primary[weight] ?? 0, canary: canary[weight] ?? 0 };
}

const hasHeader = (headers: Record<string, any>[] | undefined, name: string, value: string) =>
  (headers ?? []).some((header) => header.name === name && header.value === value);

export const PROVIDER_CASES: ProviderCase[] = [
  {
    provider: 'gatewayapi',
    crds: 'gatewayapi',
    refs: (_app, namespace) => ({ service: { port: 9898, gatewayRefs: [{ name: 'public', namespace }], hosts: ['app.example.com'] } }),
    object: { type: HTTP_ROUTES, name: (app) => app },
    weights: (route, app) => {
      const plain = (route.spec?.rules as Spec[]).filter((rule) => !(rule.matches ?? []).some((match: Spec) => match.headers?.length));
      return pairWeights(plain.at(-1)?.backendRefs, 'name', app);
    },
    headerRoutedToCanary: (route, app) =>
      (route.spec?.rules as Spec[]).some(
        (rule) =>
          (rule.matches ?? []).some((match: Spec) => hasHeader(match.headers, 'x-canary', 'insider')) &&
          pairWeights(rule.backendRefs, 'name', app)?.canary === 100,
      ),
    mirroredToCanary: (route, app) =>
      (route.spec?.rules as Spec[]).some((rule) =>
        (rule.filters ?? []).some(
          (filter: Spec) => filter.type === 'RequestMirror' && filter.requestMirror?.backendRef?.name === `${app}-canary`,
        ),
      ),
  },
  {
    provider: 'istio',
    crds: 'istio',
    refs: () => ({ service: { port: 9898, gateways: ['mesh'] } }),
    object: { type: VIRTUAL_SERVICES, name: (app) => app },
    weights: (service, app) => {
      const plain = (service.spec?.http as Spec[]).filter((route) => !route.match);
      const weights = (route: Spec | undefined) => {
        const entries = (route?.route ?? []).map((destination: Spec) => ({
          host: destination.destination?.host,
          weight: destination.weight,
        }));
        return pairWeights(entries, 'host', app);
      };
      return weights(plain.at(-1));
    },
    headerRoutedToCanary: (service, app) =>
      (service.spec?.http as Spec[]).some((route) => {
        const matched = (route.match ?? []).some((match: Spec) => match.headers?.['x-canary']?.exact === 'insider');
        const canary = (route.route ?? []).find((destination: Spec) => destination.destination?.host === `${app}-canary`);
        return matched && canary?.weight === 100;
      }),
    mirroredToCanary: (service, app) => (service.spec?.http as Spec[]).some((route) => route.mirror?.host === `${app}-canary`),
  },
  {
    provider: 'nginx',
    refs: (app) => ({ ingressRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: app } }),
    prepare: async (cluster, app, namespace) => {
      await cluster.client.create(INGRESSES, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: app, namespace },
        spec: {
          ingressClassName: 'nginx',
          rules: [
            {
              host: 'app.example.com',
              http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app, port: { number: 9898 } } } }] },
            },
          ],
        },
      });
    },
    object: { type: INGRESSES, name: (app) => `${app}-canary` },
    weights: (ingress) => {
      const annotations = ingress.metadata?.annotations ?? {};
      if (annotations['nginx.ingress.kubernetes.io/canary'] !== 'true') return undefined;
      if (annotations['nginx.ingress.kubernetes.io/canary-by-header']) return { primary: 100, canary: 0 };
      const canary = Number(annotations['nginx.ingress.kubernetes.io/canary-weight'] ?? 0);
      return { primary: 100 - canary, canary };
    },
    headerRoutedToCanary: (ingress) => {
      const annotations = ingress.metadata?.annotations ?? {};
      return (
        annotations['nginx.ingress.kubernetes.io/canary-by-header'] === 'x-canary' &&
        annotations['nginx.ingress.kubernetes.io/canary-by-header-value'] === 'insider'
      );
    },
  },
  ...['smi', 'linkerd'].map((provider): ProviderCase => ({
    provider,
    crds: 'smi',
    refs: () => ({}),
    object: { type: TRAFFIC_SPLITS, name: (app) => app },
    weights: (split, app) => pairWeights(split.spec?.backends, 'service', app),
  })),
  {
    provider: 'contour',
    crds: 'contour',
    refs: () => ({}),
    object: { type: HTTP_PROXIES, name: (app) => app },
    weights: (proxy, app) => {
      const plain = (proxy.spec?.routes as Spec[]).filter((route) => !(route.conditions ?? []).some((condition: Spec) => condition.header));
      return pairWeights(plain.at(-1)?.services, 'name', app);
    },
    headerRoutedToCanary: (proxy, app) =>
      (proxy.spec?.routes as Spec[]).some(
        (route) =>
          (route.conditions ?? []).some(
            (condition: Spec) => condition.header?.name === 'x-canary' && condition.header?.exact === 'insider',
          ) && pairWeights(route.services, 'name', app)?.canary === 100,
      ),
  },
  {
    provider: 'traefik',
    crds: 'traefik',
    refs: () => ({}),
    object: { type: TRAEFIK_SERVICES, name: (app) => app },
    // A canary without weight is left out of the TraefikService (Traefik refuses a child without endpoints).
    weights: (service, app) => {
      const services = service.spec?.weighted?.services;
      const primaryOnly = byName(services, 'name', `${app}-primary`);
      return (
        pairWeights(services, 'name', app) ??
        (primaryOnly ? { primary: primaryOnly.weight ?? 0, canary: 0 } : undefined) ??
        (service.spec?.mirroring ? { primary: 100, canary: 0 } : undefined)
      );
    },
    mirroredToCanary: (service, app) =>
      service.spec?.mirroring?.name === `${app}-primary` &&
      (service.spec.mirroring.mirrors ?? []).some((mirror: Spec) => mirror.name === `${app}-canary`),
  },
];
