// The canary Ingress (networking.k8s.io/v1) of the nginx provider: a clone of the user's Ingress
// whose backends point at <svc>-canary, marked as a canary for the NGINX Ingress controller by
// annotations, and read back into routes. Pure: the router does the I/O.
//
// How the engine's routes are written, so that reading them back gives the same routes:
//   - weighted (no spec.analysis.match): <prefix>/canary-weight is the canary's weight;
//   - A/B (spec.analysis.match): <prefix>/canary-weight is "0" (requests that do not match stay on
//     the primary). While the canary gets traffic (canaryWeight > 0) the by-header / by-cookie
//     annotations are set, so every matching request goes to the canary, and the engine's weight is
//     kept in wren.dev/canary-weight (NGINX cannot split matching requests by weight); at weight 0
//     they are absent.
// Mirroring is not supported by the nginx canary annotations: routes.mirror is not written.
import type { Canary } from '../api/canary.ts';
import type { Routes } from './router.ts';
import type { RouteObject } from './route-objects.ts';
import { asExactOrRegex, ownedMetadata, serviceNames, type StringMatch } from './route-shape.ts';

export const DEFAULT_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io';
/** The weight the engine asked for in A/B mode; NGINX itself ignores it. */
export const AB_WEIGHT_ANNOTATION = 'wren.dev/canary-weight';
/** The legacy way of naming an Ingress class: the only piece of the user's metadata the canary keeps. */
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

interface IngressBackend {
  service?: { name: string; port?: { number?: number; name?: string } };
  resource?: unknown;
}

interface IngressSpec {
  ingressClassName?: string;
  defaultBackend?: IngressBackend;
  tls?: unknown[];
  rules?: { host?: string; http?: { paths: { path?: string; pathType?: string; backend: IngressBackend }[] } }[];
}

const annotation = (prefix: string, name: string) => `${prefix}/${name}`;

/** The user's Ingress named by spec.ingressRef (always in the Canary's namespace). */
export function userIngressName(canary: Canary): string {
  const name = canary.spec.ingressRef?.name;
  if (!name) throw new Error(`Canary ${canary.metadata?.name ?? ''}: the nginx provider needs spec.ingressRef (the Ingress of the target)`);
  return name;
}

export function canaryIngressName(canary: Canary): string {
  return `${userIngressName(canary)}-canary`;
}

/** The A/B annotations of the first request match: one header (exact or pattern) and/or one cookie. */
function abAnnotations(canary: Canary, prefix: string): Record<string, string> {
  const headers = Object.entries(canary.spec.analysis.match?.[0]?.headers ?? {}) as [string, StringMatch][];
  const result: Record<string, string> = {};
  for (const [name, match] of headers) {
    const converted = asExactOrRegex(match);
    // Flagger's convention: an exact match on the header "cookie" names the cookie that, set to
    // "always", sends a request to the canary.
    if (name.toLowerCase() === 'cookie' && 'exact' in converted) {
      result[annotation(prefix, 'canary-by-cookie')] ??= converted.exact;
    } else if (!(annotation(prefix, 'canary-by-header') in result)) {
      result[annotation(prefix, 'canary-by-header')] = name;
      if ('exact' in converted) result[annotation(prefix, 'canary-by-header-value')] = converted.exact;
      else result[annotation(prefix, 'canary-by-header-pattern')] = converted.regex;
    }
  }
  if (!Object.keys(result).length) {
    throw new Error(
      `Canary ${canary.metadata?.name ?? ''}: the nginx provider routes A/B traffic by header or cookie only; spec.analysis.match[0] has no header match`,
    );
  }
  return result;
}

const isAbTest = (canary: Canary) => (canary.spec.analysis.match?.length ?? 0) > 0;

function canaryBackend(backend: IngressBackend, app: Set<string>, canaryService: string): IngressBackend {
  if (!backend.service || !app.has(backend.service.name)) return structuredClone(backend);
  return { ...structuredClone(backend), service: { ...structuredClone(backend.service), name: canaryService } };
}

/**
 * The canary Ingress for the user's Ingress: same rules, TLS and class, with the backends that
 * served the app (the apex Service or the target's name) sent to <svc>-canary. Backends of other
 * Services are kept as they are (NGINX splits them between the same Service, so nothing changes).
 */
export function buildCanaryIngress(
  canary: Canary,
  userIngress: RouteObject,
  routes: Routes,
  prefix = DEFAULT_ANNOTATION_PREFIX,
): RouteObject {
  const names = serviceNames(canary);
  const app = new Set([names.apex, canary.spec.targetRef.name]);
  const source = (userIngress.spec ?? {}) as IngressSpec;
  const spec: IngressSpec = {
    ...(source.ingressClassName ? { ingressClassName: source.ingressClassName } : {}),
    ...(source.defaultBackend ? { defaultBackend: canaryBackend(source.defaultBackend, app, names.canary) } : {}),
    ...(source.tls ? { tls: structuredClone(source.tls) } : {}),
    ...(source.rules
      ? {
          rules: source.rules.map((rule) => ({
            ...structuredClone(rule),
            ...(rule.http
              ? {
                  http: {
                    paths: rule.http.paths.map((path) => ({
                      ...structuredClone(path),
                      backend: canaryBackend(path.backend, app, names.canary),
                    })),
                  },
                }
              : {}),
          })),
        }
      : {}),
  };
  const ab = isAbTest(canary);
  const matching = ab ? abAnnotations(canary, prefix) : {};
  const userClass = userIngress.metadata?.annotations?.[CLASS_ANNOTATION];
  const annotations: Record<string, string> = {
    ...(userClass ? { [CLASS_ANNOTATION]: userClass } : {}),
    [annotation(prefix, 'canary')]: 'true',
    [annotation(prefix, 'canary-weight')]: String(ab ? 0 : routes.canaryWeight),
    ...(ab && routes.canaryWeight > 0 ? { ...matching, [AB_WEIGHT_ANNOTATION]: String(routes.canaryWeight) } : {}),
  };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { ...ownedMetadata(canary, canaryIngressName(canary)), annotations },
    spec: spec as Record<string, unknown>,
  };
}

const weightOf = (value: string | undefined): number | undefined => {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Math.min(100, Number(value.trim()));
};

/** Where the canary Ingress sends traffic; undefined while it does not exist or is not a canary. */
export function canaryIngressRoutes(
  _canary: Canary,
  canaryIngress: RouteObject | undefined,
  prefix = DEFAULT_ANNOTATION_PREFIX,
): Routes | undefined {
  const annotations = canaryIngress?.metadata?.annotations ?? {};
  if (annotations[annotation(prefix, 'canary')] !== 'true') return undefined;
  const byRequest = ['canary-by-header', 'canary-by-cookie'].some((name) => annotation(prefix, name) in annotations);
  const canaryWeight = byRequest
    ? (weightOf(annotations[AB_WEIGHT_ANNOTATION]) ?? 100)
    : (weightOf(annotations[annotation(prefix, 'canary-weight')]) ?? 0);
  return { primaryWeight: 100 - canaryWeight, canaryWeight };
}
