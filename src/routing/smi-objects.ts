// The TrafficSplit (SMI split.smi-spec.io/v1alpha2) of a Canary: requests for the apex Service
// <svc> are split between <svc>-primary and <svc>-canary by integer weight. Used by the smi and
// linkerd providers. Built from the spec and the routes the engine wants, and read back into
// routes. Pure: the router does the I/O.
import type { Canary } from '../api/canary.ts';
import type { Routes } from './router.ts';
import type { RouteObject } from './route-objects.ts';
import { ownedMetadata, serviceNames } from './route-shape.ts';
import type { RouteObjectKind } from './single-object-router.ts';
import { TRAFFIC_SPLITS } from './route-types.ts';

interface Backend {
  service: string;
  weight: number;
}

export function buildTrafficSplit(canary: Canary, routes: Routes): RouteObject {
  const names = serviceNames(canary);
  return {
    apiVersion: 'split.smi-spec.io/v1alpha2',
    kind: 'TrafficSplit',
    metadata: ownedMetadata(canary, names.apex),
    spec: {
      service: names.apex,
      backends: [
        { service: names.primary, weight: Math.round(routes.primaryWeight) },
        { service: names.canary, weight: Math.round(routes.canaryWeight) },
      ] satisfies Backend[],
    },
  };
}

/** Where the TrafficSplit sends traffic; undefined while it does not exist or splits other Services. */
export function trafficSplitRoutes(canary: Canary, split: RouteObject | undefined): Routes | undefined {
  if (!split) return undefined;
  const names = serviceNames(canary);
  const backends = (split.spec?.backends ?? []) as Backend[];
  const primary = backends.find((backend) => backend.service === names.primary);
  const canarySide = backends.find((backend) => backend.service === names.canary);
  if (!primary || !canarySide) return undefined;
  return { primaryWeight: primary.weight ?? 0, canaryWeight: canarySide.weight ?? 0 };
}

/** The smi and linkerd providers: a TrafficSplit <svc> (SMI v1alpha2); on deletion it goes and the apex Service, switched to the target's pods, takes all traffic. */
export const TRAFFIC_SPLIT_KIND: RouteObjectKind = { type: TRAFFIC_SPLITS, build: buildTrafficSplit, read: trafficSplitRoutes };
