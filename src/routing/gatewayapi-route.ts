// The HTTPRoute (Gateway API v1) of a Canary, built from its spec and the routes the engine wants,
// and read back into routes. Pure: the router does the I/O.
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
import type { RouteObjectKind } from './single-object-router.ts';
import { HTTP_ROUTES } from './route-types.ts';

interface BackendRef {
  name: string;
  port: number;
  weight: number;
  filters?: unknown[];
}

interface HttpRouteRule {
  matches?: Record<string, unknown>[];
  backendRefs: BackendRef[];
  filters?: unknown[];
  timeouts?: { request?: string; backendRequest?: string };
}

type ValueMatch = { type: 'Exact' | 'RegularExpression'; name: string; value: string };

function valueMatches(matches: Record<string, StringMatch> | undefined): ValueMatch[] {
  return Object.entries(matches ?? {}).map(([name, match]) => {
    const converted = asExactOrRegex(match);
    return 'exact' in converted
      ? { type: 'Exact', name, value: converted.exact }
      : { type: 'RegularExpression', name, value: converted.regex };
  });
}

function pathMatch(uri: StringMatch): { type: string; value: string } {
  if (uri.exact !== undefined) return { type: 'Exact', value: uri.exact };
  if (uri.prefix !== undefined) return { type: 'PathPrefix', value: uri.prefix };
  const converted = asExactOrRegex(uri);
  return { type: 'RegularExpression', value: 'regex' in converted ? converted.regex : converted.exact };
}

/** An Istio-style request match (Flagger's format for spec.service.match and spec.analysis.match) as a Gateway API match. */
export function httpRouteMatch(match: RequestMatch & { uri?: StringMatch; method?: StringMatch }): Record<string, unknown> {
  const headers = valueMatches(match.headers);
  const queryParams = valueMatches(match.queryParams);
  const path = match.uri ? pathMatch(match.uri) : undefined;
  return {
    ...(path ? { path } : {}),
    ...(headers.length ? { headers } : {}),
    ...(queryParams.length ? { queryParams } : {}),
    ...(match.method?.exact ? { method: match.method.exact } : {}),
  };
}

const bothSides = (rule: HttpRouteRule | undefined, names: { primary: string; canary: string }) =>
  rule?.backendRefs?.some((ref) => ref.name === names.primary) && rule.backendRefs.some((ref) => ref.name === names.canary);

export function buildHttpRoute(canary: Canary, routes: Routes): RouteObject {
  const names = serviceNames(canary);
  const service = canary.spec.service;
  const port = service.port;
  const defaultMatches = (service.match as (RequestMatch & { uri?: StringMatch })[] | undefined)?.map(httpRouteMatch);
  const timeouts =
    service.timeout || service.backendTimeout
      ? {
          timeouts: {
            ...(service.timeout ? { request: service.timeout } : {}),
            ...(service.backendTimeout ? { backendRequest: service.backendTimeout } : {}),
          },
        }
      : {};
  const cookie = sessionCookie(canary);
  const shifting = routes.canaryWeight > 0 && routes.canaryWeight < 100;
  const canaryFilters =
    cookie && shifting
      ? {
          filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'Set-Cookie', value: cookie.setCookie }] } }],
        }
      : {};
  const weighted = (matches: Record<string, unknown>[] | undefined, weights: Routes, withCookie: boolean): HttpRouteRule => ({
    ...(matches ? { matches } : {}),
    backendRefs: [
      { name: names.primary, port, weight: weights.primaryWeight },
      { name: names.canary, port, weight: weights.canaryWeight, ...(withCookie ? canaryFilters : {}) },
    ],
    ...(weights.mirror
      ? {
          filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: names.canary, port }, percent: mirrorPercent(canary) } }],
        }
      : {}),
    ...timeouts,
  });

  const rules: HttpRouteRule[] = [];
  if (cookie && shifting) {
    // Sessions that met the canary stay with it.
    const cookieMatch = { headers: [{ type: 'RegularExpression', name: 'Cookie', value: `.*${cookie.name}=${cookie.value}.*` }] };
    rules.push({ matches: [cookieMatch], backendRefs: [{ name: names.canary, port, weight: 100 }], ...timeouts });
  }
  const abMatches = canary.spec.analysis.match?.map(httpRouteMatch);
  if (abMatches?.length) {
    rules.push(weighted(abMatches, routes, false));
    rules.push(weighted(defaultMatches, { primaryWeight: 100, canaryWeight: 0 }, false));
  } else {
    rules.push(weighted(defaultMatches, routes, true));
  }
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: ownedMetadata(canary, names.apex),
    spec: {
      parentRefs: service.gatewayRefs ?? [],
      ...(service.hosts?.length ? { hostnames: service.hosts } : {}),
      rules,
    },
  };
}

/** The HTTPRoute handed back when the Canary is deleted: all traffic to the apex Service, no owner. */
export function releasedHttpRoute(canary: Canary): RouteObject {
  const names = serviceNames(canary);
  const built = buildHttpRoute(canary, { primaryWeight: 100, canaryWeight: 0 });
  const spec = built.spec as { rules: HttpRouteRule[] };
  return {
    ...built,
    metadata: { name: names.apex, namespace: canary.metadata?.namespace ?? '' },
    spec: { ...spec, rules: [{ ...spec.rules.at(-1), backendRefs: [{ name: names.apex, port: canary.spec.service.port, weight: 100 }] }] },
  };
}

/** Where the HTTPRoute sends traffic; throws while a parent Gateway refuses the route. */
export function httpRouteRoutes(canary: Canary, route: RouteObject | undefined): Routes | undefined {
  if (!route) return undefined;
  const parents = (route.status?.parents ?? []) as {
    parentRef?: { name?: string };
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  }[];
  for (const parent of parents) {
    const accepted = parent.conditions?.find((condition) => condition.type === 'Accepted');
    if (accepted?.status === 'False') {
      throw new Error(
        `HTTPRoute ${route.metadata?.name} is not accepted by ${parent.parentRef?.name ?? 'its parent'}: ${accepted.reason ?? ''} ${accepted.message ?? ''}`.trim(),
      );
    }
  }
  const names = serviceNames(canary);
  const rules = ((route.spec?.rules ?? []) as HttpRouteRule[]).filter((rule) => bothSides(rule, names));
  const rule = rules[0];
  if (!rule) return undefined;
  const weight = (name: string) => rule.backendRefs.find((ref) => ref.name === name)?.weight ?? 0;
  const mirror = (rule.filters ?? []).some((filter) => (filter as { type?: string }).type === 'RequestMirror');
  return { primaryWeight: weight(names.primary), canaryWeight: weight(names.canary), ...(mirror ? { mirror: true } : {}) };
}

/** The gatewayapi provider: an HTTPRoute <svc> (Gateway API v1) whose rules split traffic between <svc>-primary and <svc>-canary by weight, by request match (A/B), by mirroring or by cookie. */
export const HTTP_ROUTE_KIND: RouteObjectKind = {
  type: HTTP_ROUTES,
  build: buildHttpRoute,
  read: httpRouteRoutes,
  released: releasedHttpRoute,
};
