// The Istio objects of a Canary: a VirtualService <svc> (networking.istio.io/v1) that splits traffic
// between <svc>-primary and <svc>-canary by weight, by request match (A/B), by mirroring or by
// cookie, and one DestinationRule per side. Built from the spec and the routes the engine wants, and
// read back into routes. Pure: the router does the I/O.
import type { Canary } from '../api/canary.ts';
import type { Routes } from './router.ts';
import type { RouteObject } from './route-objects.ts';
import {
  asExactOrRegex,
  mirrorPercent,
  ownedMetadata,
  serviceNames,
  sessionCookie,
  type RequestMatch,
  type StringMatch,
} from './route-shape.ts';

interface Destination {
  host: string;
  port: { number: number };
}

interface RouteDestination {
  destination: Destination;
  weight: number;
  headers?: Record<string, unknown>;
}

interface HttpRoute {
  match?: Record<string, unknown>[];
  route: RouteDestination[];
  mirror?: Destination;
  mirrorPercentage?: { value: number };
  [field: string]: unknown;
}

const API_VERSION = 'networking.istio.io/v1';
const STRING_FIELDS = ['uri', 'scheme', 'method', 'authority'] as const;
const MAP_FIELDS = ['headers', 'queryParams', 'withoutHeaders'] as const;

/** Istio matches strings by exact, prefix or regex; a suffix becomes a regex. */
const istioString = (match: StringMatch): StringMatch => (match.suffix !== undefined ? asExactOrRegex(match) : match);

/** A request match in Flagger's (Istio's) format, with the suffixes Istio lacks rewritten. */
export function istioMatch(match: RequestMatch | Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...match };
  for (const field of STRING_FIELDS) {
    const value = result[field] as StringMatch | undefined;
    if (value) result[field] = istioString(value);
  }
  for (const field of MAP_FIELDS) {
    const value = result[field] as Record<string, StringMatch> | undefined;
    if (value) result[field] = Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, istioString(entry)]));
  }
  return result;
}

/** The fields of spec.service that every HTTP route carries unchanged. */
function passThrough(canary: Canary): Record<string, unknown> {
  const service = canary.spec.service;
  return {
    ...(service.rewrite ? { rewrite: service.rewrite } : {}),
    ...(service.timeout ? { timeout: service.timeout } : {}),
    ...(service.retries ? { retries: service.retries } : {}),
    ...(service.headers ? { headers: service.headers } : {}),
    ...(service.corsPolicy ? { corsPolicy: service.corsPolicy } : {}),
  };
}

const isHost = (host: string | undefined, name: string) => host === name || (host?.startsWith(`${name}.`) ?? false);
const hasHost = (route: HttpRoute, name: string) => (route.route ?? []).some((entry) => isHost(entry.destination?.host, name));

export function buildVirtualService(canary: Canary, routes: Routes): RouteObject {
  const names = serviceNames(canary);
  const service = canary.spec.service;
  const destination = (host: string): Destination => ({ host, port: { number: service.port } });
  const common = passThrough(canary);
  const defaultMatch = service.match?.length ? { match: service.match.map(istioMatch) } : {};
  const cookie = sessionCookie(canary);
  const shifting = routes.canaryWeight > 0 && routes.canaryWeight < 100;
  const setCookie = cookie && shifting ? { headers: { response: { add: { 'Set-Cookie': cookie.setCookie } } } } : {};
  const weighted = (match: { match?: Record<string, unknown>[] }, weights: Routes, withCookie: boolean): HttpRoute => ({
    ...match,
    ...common,
    route: [
      { destination: destination(names.primary), weight: weights.primaryWeight },
      { destination: destination(names.canary), weight: weights.canaryWeight, ...(withCookie ? setCookie : {}) },
    ],
    ...(weights.mirror ? { mirror: destination(names.canary), mirrorPercentage: { value: mirrorPercent(canary) } } : {}),
  });

  const http: HttpRoute[] = [];
  if (cookie && shifting) {
    // Sessions that met the canary stay with it; canary-only, so reading back never picks it.
    const match = [{ headers: { cookie: { regex: `.*${cookie.name}=${cookie.value}.*` } } }];
    http.push({ match, ...common, route: [{ destination: destination(names.canary), weight: 100 }] });
  }
  const abMatch = canary.spec.analysis.match;
  if (abMatch?.length) {
    http.push(weighted({ match: abMatch.map(istioMatch) }, routes, false));
    http.push(weighted(defaultMatch, { primaryWeight: 100, canaryWeight: 0 }, false));
  } else {
    http.push(weighted(defaultMatch, routes, true));
  }
  const hosts = [...new Set([names.apex, ...(service.hosts ?? [])])];
  return {
    apiVersion: API_VERSION,
    kind: 'VirtualService',
    metadata: ownedMetadata(canary, names.apex),
    spec: { hosts, gateways: service.gateways?.length ? service.gateways : ['mesh'], http },
  };
}

/** DestinationRules <svc>-primary and <svc>-canary, with spec.service.trafficPolicy when set. */
export function buildDestinationRules(canary: Canary): RouteObject[] {
  const names = serviceNames(canary);
  const trafficPolicy = canary.spec.service.trafficPolicy;
  return [names.primary, names.canary].map((host) => ({
    apiVersion: API_VERSION,
    kind: 'DestinationRule',
    metadata: ownedMetadata(canary, host),
    spec: { host, ...(trafficPolicy ? { trafficPolicy } : {}) },
  }));
}

/** The VirtualService handed back when the Canary is deleted: all traffic to the apex Service, no owner. */
export function releasedVirtualService(canary: Canary): RouteObject {
  const names = serviceNames(canary);
  const built = buildVirtualService(canary, { primaryWeight: 100, canaryWeight: 0 });
  const spec = built.spec as { http: HttpRoute[] };
  const last = spec.http.at(-1) as HttpRoute;
  const route = [{ destination: { host: names.apex, port: { number: canary.spec.service.port } }, weight: 100 }];
  return {
    ...built,
    metadata: { name: names.apex, namespace: canary.metadata?.namespace ?? '' },
    spec: { ...spec, http: [{ ...last, route }] },
  };
}

/** Where the VirtualService sends traffic: the first HTTP route with both primary and canary destinations. */
export function virtualServiceRoutes(canary: Canary, vs: RouteObject | undefined): Routes | undefined {
  if (!vs) return undefined;
  const names = serviceNames(canary);
  const route = ((vs.spec?.http ?? []) as HttpRoute[]).find((entry) => hasHost(entry, names.primary) && hasHost(entry, names.canary));
  if (!route) return undefined;
  const weight = (name: string) => route.route.find((entry) => isHost(entry.destination?.host, name))?.weight ?? 0;
  return { primaryWeight: weight(names.primary), canaryWeight: weight(names.canary), ...(route.mirror ? { mirror: true } : {}) };
}
