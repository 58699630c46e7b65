// Creates and updates a Canary's three Services. Which pods the apex Service selects is the
// router's call: the kubernetes provider switches it, mesh and ingress providers leave it on the primary.
import type { Canary } from '../api/canary.ts';
import { applyIfChanged, type RecentApplies } from '../kube/apply-if-changed.ts';
import type { KubeClient } from '../kube/client.ts';
import { SERVICES } from '../kube/resource-types.ts';
import { key, type CanaryCaches } from '../workload/caches.ts';
import { primarySelector } from '../workload/naming.ts';
import { apexServiceName, buildServices, type ServiceSelectors } from '../workload/services.ts';

export type Side = 'primary' | 'canary';

export class ServiceApplier {
  private readonly client: KubeClient;
  private readonly caches: CanaryCaches;
  private readonly recent: RecentApplies;

  constructor(client: KubeClient, caches: CanaryCaches, recent: RecentApplies) {
    this.client = client;
    this.caches = caches;
    this.recent = recent;
  }

  private target(canary: Canary) {
    return this.caches.deployments.get(key(canary.metadata?.namespace, canary.spec.targetRef.name));
  }

  selectors(canary: Canary, apexSide: Side): ServiceSelectors | undefined {
    const targetSelector = this.target(canary)?.spec?.selector?.matchLabels;
    const primary = targetSelector && primarySelector(targetSelector);
    if (!targetSelector || !primary) return undefined;
    return { apex: apexSide === 'primary' ? primary : targetSelector, primary, canary: targetSelector };
  }

  /** Makes the three Services exist as wanted; writes only what differs. */
  async ensure(canary: Canary, apexSide: Side, options: { owned: boolean } = { owned: true }): Promise<void> {
    const selectors = this.selectors(canary, apexSide);
    if (!selectors) throw new Error(`cannot build Services: ${canary.spec.targetRef.name} has no usable selector`);
    const services = buildServices(canary, selectors, this.target(canary)?.spec?.template);
    // Three independent objects: written together, so a first release waits one round trip, not three.
    await Promise.all(
      services.map((service) => {
        if (!options.owned && service.metadata?.name === apexServiceName(canary.spec)) {
          service.metadata.ownerReferences = [];
        }
        const observed = this.caches.services.get(key(service.metadata?.namespace, service.metadata?.name ?? ''));
        return applyIfChanged(this.client, SERVICES, service, observed, this.recent);
      }),
    );
  }

  /** Which side the apex Service selects now, from the cache. */
  apexSide(canary: Canary): Side | undefined {
    const apex = this.caches.services.get(key(canary.metadata?.namespace, apexServiceName(canary.spec)));
    if (!apex?.spec?.selector) return undefined;
    const selectors = this.selectors(canary, 'primary');
    if (!selectors) return undefined;
    const same = (a: Record<string, string>, b: Record<string, string>) =>
      Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
    if (same(apex.spec.selector, selectors.primary)) return 'primary';
    if (same(apex.spec.selector, selectors.canary)) return 'canary';
    return undefined;
  }
}
