// The kubernetes provider: blue/green by switching the apex Service between the primary's pods and
// the canary's pods. No weights: traffic moves all at once.
import type { Canary } from '../api/canary.ts';
import type { Routes, TrafficRouter } from './router.ts';
import type { ServiceApplier } from './service-applier.ts';

export class KubernetesRouter implements TrafficRouter {
  readonly weighted = false;
  private readonly services: ServiceApplier;

  constructor(services: ServiceApplier) {
    this.services = services;
  }

  async reconcile(canary: Canary): Promise<void> {
    await this.services.ensure(canary, this.services.apexSide(canary) ?? 'primary');
  }

  async setRoutes(canary: Canary, routes: Routes): Promise<void> {
    await this.services.ensure(canary, routes.canaryWeight >= 100 ? 'canary' : 'primary');
  }

  getRoutes(canary: Canary): Routes | undefined {
    const side = this.services.apexSide(canary);
    if (!side) return undefined;
    return side === 'canary' ? { primaryWeight: 0, canaryWeight: 100 } : { primaryWeight: 100, canaryWeight: 0 };
  }

  /** The apex Service outlives the Canary, selecting the target's own pods again. */
  async finalize(canary: Canary): Promise<void> {
    await this.services.ensure(canary, 'canary', { owned: false });
  }
}
