// The HTTPProxy (Contour projectcontour.io/v1) of a Canary: routes that split traffic between
// <svc>-primary and <svc>-canary by weight, or by request match (A/B). Without spec.service.hosts
// the proxy has no virtualhost and is meant to be included by the user's root HTTPProxy. Built from
// the spec and the routes the engine wants, and read back into routes. Pure: the router does the I/O.
import type { Canary } from '../api/canary.ts';
import type { Routes } from './router.ts';
import type { RouteObject } from './route-objects.ts';
import { asExactOrRegex, ownedMetadata, serviceNames, type RequestMatch, type StringMatch } from './route-shape.ts';
import type { RouteObjectKind } from './single-object-router.ts';
import { HTTP_PROXIES } from './route-types.ts';

type Condition = Record<string, unknown>;

interface ProxyService {
  name: string;
  port: number;
  weight: number;
}

interface ProxyRoute {
  conditions: Condition[];
  services: ProxyService[];
  timeoutPolicy?: { response: string };
  retryPolicy?: { count?: number; perTryTimeout?: string; retryOn?: string[]; retriableStatusCodes?: number[] };
}

// The retry conditions Contour accepts; Istio's retryOn uses the same (Envoy) names.
const RETRY_ON = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'envoy-ratelimited',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);
const MATCH_FIELDS = new Set(['name', 'uri', 'headers', 'queryParams']);

type Match = RequestMatch & { uri?: StringMatch };

function pathCondition(uri: StringMatch | undefined): Condition {
  if (!uri) return { prefix: '/' };
  if (uri.exact !== undefined) return { exact: uri.exact };
  if (uri.prefix !== undefined) return { prefix: uri.prefix };
  const converted = asExactOrRegex(uri);
  return 'regex' in converted ? { regex: converted.regex } : { exact: converted.exact };
}

const isEmpty = (match: StringMatch) =>
  match.exact === undefined && match.prefix === undefined && match.suffix === undefined && match.regex === undefined;

/** Contour matches headers exactly or by regular expression, query parameters by any of the four. */
const headerMatch = (match: StringMatch) => (isEmpty(match) ? { present: true } : asExactOrRegex(match));
const queryMatch = (match: StringMatch) => {
  if (isEmpty(match)) return { present: true };
  const [kind, value] = Object.entries(match).find(([, entry]) => entry !== undefined) as [string, string];
  return { [kind]: value };
};

/** A request match in Flagger's (Istio's) format as Contour conditions, all of which must hold. */
function contourConditions(match: Match, field: string, withPath: boolean): Condition[] {
  const unsupported = Object.keys(match).filter((key) => !MATCH_FIELDS.has(key));
  if (unsupported.length) throw new Error(`${field}: Contour cannot match requests by ${unsupported.join(', ')}`);
  const headers = Object.entries(match.headers ?? {}).map(([name, value]) => ({ header: { name, ...headerMatch(value) } }));
  const queryParameters = Object.entries(match.queryParams ?? {}).map(([name, value]) => ({
    queryParameter: { name, ...queryMatch(value) },
  }));
  return [...(withPath ? [pathCondition(match.uri)] : []), ...headers, ...queryParameters];
}

function retryPolicy(retries: Canary['spec']['service']['retries']): ProxyRoute['retryPolicy'] | undefined {
  if (!retries) return undefined;
  const reasons = (retries.retryOn ?? '')
    .split(',')
    .map((reason) => reason.trim())
    .filter(Boolean);
  const codes = reasons.filter((reason) => /^\d{3}$/.test(reason)).map(Number);
  const retryOn = [...reasons.filter((reason) => RETRY_ON.has(reason)), ...(codes.length ? ['retriable-status-codes'] : [])];
  const policy = {
    ...(retries.attempts !== undefined ? { count: retries.attempts } : {}),
    ...(retries.perTryTimeout ? { perTryTimeout: retries.perTryTimeout } : {}),
    ...(retryOn.length ? { retryOn: [...new Set(retryOn)] } : {}),
    ...(codes.length ? { retriableStatusCodes: codes } : {}),
  };
  return Object.keys(policy).length ? policy : undefined;
}

const bothSides = (route: ProxyRoute, names: { primary: string; canary: string }) =>
  route.services?.some((service) => service.name === names.primary) && route.services.some((service) => service.name === names.canary);

export function buildHttpProxy(canary: Canary, routes: Routes): RouteObject {
  const names = serviceNames(canary);
  const service = canary.spec.service;
  const port = service.port;
  const defaults = ((service.match ?? []) as Match[]).map((match, index) => contourConditions(match, `spec.service.match[${index}]`, true));
  const paths = defaults.length ? defaults : [[pathCondition(undefined)]];
  const retries = retryPolicy(service.retries);
  const route = (conditions: Condition[], weights: Routes): ProxyRoute => ({
    conditions,
    services: [
      { name: names.primary, port, weight: weights.primaryWeight },
      { name: names.canary, port, weight: weights.canaryWeight },
    ],
    ...(service.timeout ? { timeoutPolicy: { response: service.timeout } } : {}),
    ...(retries ? { retryPolicy: retries } : {}),
  });

  const abMatches = (canary.spec.analysis.match ?? []).map((match, index) =>
    contourConditions(match as Match, `spec.analysis.match[${index}]`, false),
  );
  const proxyRoutes = abMatches.length
    ? [
        // Matching requests get the run's weights, everyone else stays on the primary.
        ...paths.flatMap((path) => abMatches.map((ab) => route([...path, ...ab], routes))),
        ...paths.map((path) => route(path, { primaryWeight: 100, canaryWeight: 0 })),
      ]
    : paths.map((path) => route(path, routes));
  return {
    apiVersion: 'projectcontour.io/v1',
    kind: 'HTTPProxy',
    metadata: ownedMetadata(canary, names.apex),
    spec: {
      ...(service.hosts?.length ? { virtualhost: { fqdn: service.hosts[0] } } : {}),
      routes: proxyRoutes,
    },
  };
}

/** The HTTPProxy handed back when the Canary is deleted: all traffic to the apex Service, no owner. */
export function releasedHttpProxy(canary: Canary): RouteObject {
  const names = serviceNames(canary);
  const withoutAb: Canary = { ...canary, spec: { ...canary.spec, analysis: { ...canary.spec.analysis, match: [] } } };
  const built = buildHttpProxy(withoutAb, { primaryWeight: 100, canaryWeight: 0 });
  const spec = built.spec as { routes: ProxyRoute[] };
  const services = [{ name: names.apex, port: canary.spec.service.port, weight: 100 }];
  return {
    ...built,
    metadata: { name: names.apex, namespace: canary.metadata?.namespace ?? '' },
    spec: { ...spec, routes: spec.routes.map((route) => ({ ...route, services })) },
  };
}

/** Where the HTTPProxy sends traffic: the first route split between primary and canary (the A/B one, if any). */
export function httpProxyRoutes(canary: Canary, proxy: RouteObject | undefined): Routes | undefined {
  if (!proxy) return undefined;
  const names = serviceNames(canary);
  const route = ((proxy.spec?.routes ?? []) as ProxyRoute[]).find((candidate) => bothSides(candidate, names));
  if (!route) return undefined;
  const weight = (name: string) => route.services.find((service) => service.name === name)?.weight ?? 0;
  return { primaryWeight: weight(names.primary), canaryWeight: weight(names.canary) };
}

/** The contour provider: an HTTPProxy <svc> (Contour v1); on deletion it is handed back sending everything to the apex Service. */
export const HTTP_PROXY_KIND: RouteObjectKind = {
  type: HTTP_PROXIES,
  build: buildHttpProxy,
  read: httpProxyRoutes,
  released: releasedHttpProxy,
};
