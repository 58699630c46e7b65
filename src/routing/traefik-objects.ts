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
          services: [
            { name: names.primary, port, weight: routes.primaryWeight },
            { name: names.canary, port, weight: routes.canaryWeight },
          ] satisfies WeightedService[],
        },
      };
  return { apiVersion: 'traefik.io/v1alpha1', kind: 'TraefikService', metadata: ownedMetadata(canary, names.apex), spec };
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
  if (!primary || !canarySide) return undefined;
  return { primaryWeight: primary.weight ?? 0, canaryWeight: canarySide.weight ?? 0 };
}

/** The traefik provider: a TraefikService <svc> the user's IngressRoute sends its traffic to; on deletion it goes. */
export const TRAEFIK_SERVICE_KIND: RouteObjectKind = { type: TRAEFIK_SERVICES, build: buildTraefikService, read: traefikServiceRoutes };
