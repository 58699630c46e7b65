// A router context for unit tests of the routers: the routing-object cache is a map, and every
// write the router makes is recorded in order.
import type { Canary } from '../../../src/api/canary.ts';
import type { ResourceType } from '../../../src/kube/resource-types.ts';
import type { RouterContext } from '../../../src/routing/router-context.ts';
import type { RouteObject } from '../../../src/routing/route-objects.ts';

export function fakeContext() {
  const cache = new Map<string, RouteObject>();
  const calls: string[] = [];
  const types: ResourceType[] = [];
  const objects = {
    synced: async () => {},
    get: (namespace: string | undefined, name: string) => cache.get(`${namespace}/${name}`),
    ensure: async (desired: RouteObject) => {
      calls.push(`ensure ${desired.kind} ${desired.metadata?.name}`);
      cache.set(`${desired.metadata?.namespace}/${desired.metadata?.name}`, desired);
    },
    release: async (namespace: string | undefined, name: string, fallback?: RouteObject) => {
      calls.push(`release ${name}${fallback ? ' with fallback' : ''}`);
      if (fallback) cache.set(`${namespace}/${name}`, fallback);
      else cache.delete(`${namespace}/${name}`);
    },
  };
  const services = {
    ensure: async (_canary: Canary, side: string, options?: { owned: boolean }) =>
      void calls.push(`service ${side}${options?.owned === false ? ' unowned' : ''}`),
  };
  const objectsOf = (type: ResourceType) => {
    types.push(type);
    return objects;
  };
  return { context: { services, objects: objectsOf } as unknown as RouterContext, calls, cache, types };
}
