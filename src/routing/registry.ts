// Traffic providers by name. Adding a provider: one file implementing TrafficRouter, one line here.
import type { Canary } from '../api/canary.ts';
import { normalizeProvider, type TrafficProvider } from '../api/providers.ts';
import { KubernetesRouter } from './kubernetes.ts';
import type { TrafficRouter } from './router.ts';
import type { ServiceApplier } from './service-applier.ts';

type RouterFactory = (services: ServiceApplier) => TrafficRouter;

const FACTORIES: Partial<Record<TrafficProvider, RouterFactory>> = {
  kubernetes: (services) => new KubernetesRouter(services),
};

export class RouterRegistry {
  private readonly routers = new Map<TrafficProvider, TrafficRouter>();

  constructor(services: ServiceApplier) {
    for (const [name, factory] of Object.entries(FACTORIES) as [TrafficProvider, RouterFactory][]) {
      this.routers.set(name, factory(services));
    }
  }

  /** The router for a Canary, or undefined when this build has no router for its provider. */
  routerFor(canary: Canary, defaultProvider: string): TrafficRouter | undefined {
    const provider = normalizeProvider(canary.spec.provider ?? defaultProvider);
    return provider ? this.routers.get(provider) : undefined;
  }
}
