// The TraefikService (Traefik traefik.io/v1alpha1) of a Canary: a weighted service over
// <svc>-primary and <svc>-canary, or while mirroring a mirroring service that answers from the
// primary and copies requests to the canary. The user's IngressRoute points at it. Built from the
// spec and the routes the engine wants, and read back into routes. Pure: the router does the I/O.
import type { Canary } from '../api/canary.ts';
import type { Routes } from './router.ts';
import type { RouteObject } from './route-objects.ts';
import { mirrorPercent, ownedMetadata, serviceNames } from './route-shape.ts';
import type { RouteObjectKind } from './single-object-router.ts';
import { TRAEFIK_SERVICES } from './route-types.ts';

interface WeightedService {
  name: string;
  port: number;
  weight: number;
}

interface Mirroring {
  name: string;
  port: number;
  mirrors: { name: string; port: number; percent: number }[];
}

export function buildTraefikService(canary: Canary, routes: Routes): RouteObject {
  const names = serviceNames(canary);
  const port = canary.spec.service.port;
  const spec = routes.mirror
    ? {
        mirroring: {
          name: names.primary,
          port,
          mirrors: [{ name: names.canary, port, percent: mirrorPercent(canary) }],
        } satisfies Mirroring,
      }
    : {
        weighted: {
          // The canary is listed only while it has weight: Traefik refuses a weighted service with
          // a child that has no endpoints (unless allowEmptyServices is set), and answers 404 for
          // the whole route, so a canary scaled to zero must not be in it.
          services: [
            { name: names.primary, port, weight: routes.primaryWeight },
            ...(routes.canaryWeight > 0 ? [{ name: names.canary, port, weight: routes.canaryWeight }] : []),
          ] satisfies WeightedService[],
          ...stickiness(canary),
        },
      };
  return { apiVersion: 'traefik.io/v1alpha1', kind: 'TraefikService', metadata: ownedMetadata(canary, names.apex), spec };
}

/**
 * Session affinity: Traefik's sticky cookie on the weighted service. The first answer sets it to the
 * version that served; later requests carrying it go to that version while its weight is above zero
 * (Traefik drops a zero-weight service from the choice, so after a rollback or a promotion every
 * session lands on the primary). Weights therefore move new sessions; pinned ones stay.
 */
function stickiness(canary: Canary): { sticky?: { cookie: Record<string, unknown> } } {
  const affinity = canary.spec.analysis.sessionAffinity;
  if (!affinity) return {};
  const cookie = {
    name: affinity.cookieName,
    maxAge: affinity.maxAge ?? 86_400,
    path: affinity.path ?? '/',
    ...(affinity.domain ? { domain: affinity.domain } : {}),
    ...(affinity.httpOnly !== undefined ? { httpOnly: affinity.httpOnly } : {}),
    ...(affinity.secure !== undefined ? { secure: affinity.secure } : {}),
    ...(affinity.sameSite ? { sameSite: affinity.sameSite.toLowerCase() } : {}),
  };
  return { sticky: { cookie } };
}

/** Where the TraefikService sends traffic; undefined while it does not exist or serves other Services. */
export function traefikServiceRoutes(canary: Canary, service: RouteObject | undefined): Routes | undefined {
  if (!service) return undefined;
  const names = serviceNames(canary);
  const mirroring = service.spec?.mirroring as Mirroring | undefined;
  if (mirroring) {
    const mirrored = mirroring.name === names.primary && (mirroring.mirrors ?? []).some((mirror) => mirror.name === names.canary);
    return mirrored ? { primaryWeight: 100, canaryWeight: 0, mirror: true } : undefined;
  }
  const services = (service.spec?.weighted as { services?: WeightedService[] } | undefined)?.services ?? [];
  const primary = services.find((entry) => entry.name === names.primary);
  const canarySide = services.find((entry) => entry.name === names.canary);
  if (!primary || services.some((entry) => entry !== primary && entry !== canarySide)) return undefined;
  return { primaryWeight: primary.weight ?? 0, canaryWeight: canarySide?.weight ?? 0 };
}

/** The traefik provider: a TraefikService <svc> the user's IngressRoute sends its traffic to; on deletion it goes. */
export const TRAEFIK_SERVICE_KIND: RouteObjectKind = { type: TRAEFIK_SERVICES, build: buildTraefikService, read: traefikServiceRoutes };
