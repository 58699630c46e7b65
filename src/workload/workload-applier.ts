// Carries out the workload side of a decision: the primary Deployment and its config copies, the
// primary autoscaler, and the target's replica count. Reads come from the watch caches; a write
// happens only where the cluster differs from what is wanted.
import type { Canary } from '../api/canary.ts';
import { applyIfChanged, type RecentApplies } from '../kube/apply-if-changed.ts';
import type { KubeClient } from '../kube/client.ts';
import { CONFIG_MAPS, DEPLOYMENTS, HORIZONTAL_POD_AUTOSCALERS, SECRETS } from '../kube/resource-types.ts';
import { buildPrimaryAutoscaler } from './autoscaler.ts';
import { key, type CanaryCaches } from './caches.ts';
import { buildConfigCopy, configChecksum, isTracked, type ConfigObject } from './config-copies.ts';
import { configKey, referencedConfigs, type ConfigRef } from './config-refs.ts';
import { primaryName } from './naming.ts';
import { REVISION_ANNOTATION } from './owner.ts';
import { buildPrimaryDeployment } from './primary-deployment.ts';
import type { Deployment } from './workload-types.ts';

const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

export class WorkloadApplier {
  private readonly client: KubeClient;
  private readonly caches: CanaryCaches;
  private readonly recent: RecentApplies;

  constructor(client: KubeClient, caches: CanaryCaches, recent: RecentApplies) {
    this.client = client;
    this.caches = caches;
    this.recent = recent;
  }

  private cachedConfig(namespace: string | undefined, ref: ConfigRef): ConfigObject | undefined {
    const cache = ref.kind === 'ConfigMap' ? this.caches.configMaps : this.caches.secrets;
    return cache.get(key(namespace, ref.name));
  }

  /** Checksums of the tracked configs the target uses that exist now, e.g. {"configmap/app": "ab12…"}. */
  trackedConfigs(canary: Canary, target: Deployment): Record<string, string> {
    const namespace = canary.metadata?.namespace;
    const tracked: Record<string, string> = {};
    for (const ref of referencedConfigs(target.spec?.template?.spec ?? {})) {
      const config = this.cachedConfig(namespace, ref);
      if (config && isTracked(config)) tracked[configKey(ref)] = configChecksum(config);
    }
    return tracked;
  }

  /**
   * Puts the target's current pod template into the primary (creating it the first time), with
   * copies of its tracked configs. No-op when the primary already runs `revision`.
   */
  async promoteTargetToPrimary(canary: Canary, target: Deployment, revision: string): Promise<void> {
    const namespace = canary.metadata?.namespace;
    const observed = this.caches.deployments.get(key(namespace, primaryName(target.metadata?.name ?? '')));
    if (observed?.metadata?.annotations?.[REVISION_ANNOTATION] === revision) return;
    const copies = await this.copyConfigs(canary, target);
    const managedByAutoscaler = canary.spec.autoscalerRef !== undefined;
    const replicas = managedByAutoscaler ? undefined : (observed?.spec?.replicas ?? Math.max(1, target.spec?.replicas ?? 1));
    const primary = buildPrimaryDeployment(canary, {
      target,
      template: target.spec?.template ?? {},
      revision,
      replicas,
      progressDeadlineSeconds: canary.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS,
      configCopies: copies,
    });
    await applyIfChanged(this.client, DEPLOYMENTS, primary, observed, this.recent);
  }

  /** Writes -primary copies of the tracked configs; returns "Kind/name" → copy name. */
  private async copyConfigs(canary: Canary, target: Deployment): Promise<Map<string, string>> {
    const namespace = canary.metadata?.namespace;
    const copies = new Map<string, string>();
    for (const ref of referencedConfigs(target.spec?.template?.spec ?? {})) {
      const cached = this.cachedConfig(namespace, ref);
      if (!cached || !isTracked(cached)) continue;
      const type = ref.kind === 'ConfigMap' ? CONFIG_MAPS : SECRETS;
      // The cache keeps checksums only; read the data now, when a copy is actually written.
      const source = await this.client.get<ConfigObject>(type, namespace, ref.name);
      const copy = buildConfigCopy(canary, ref.kind, source);
      const observedCopy = this.cachedConfig(namespace, { kind: ref.kind, name: copy.metadata?.name ?? '' });
      await applyIfChanged(this.client, type, copy, observedCopy, this.recent);
      copies.set(`${ref.kind}/${ref.name}`, copy.metadata?.name ?? '');
    }
    return copies;
  }

  async ensureAutoscaler(canary: Canary): Promise<void> {
    const ref = canary.spec.autoscalerRef;
    if (!ref) return;
    const namespace = canary.metadata?.namespace;
    const source = this.caches.autoscalers.get(key(namespace, ref.name));
    if (!source) throw new Error(`HorizontalPodAutoscaler ${ref.name} (spec.autoscalerRef) not found`);
    const primary = buildPrimaryAutoscaler(canary, source);
    const observed = this.caches.autoscalers.get(key(namespace, primary.metadata?.name ?? ''));
    await applyIfChanged(this.client, HORIZONTAL_POD_AUTOSCALERS, primary, observed, this.recent);
  }

  /** Sets the target's replicas through its scale subresource, when they differ. */
  async scaleTarget(target: Deployment, replicas: number): Promise<void> {
    if ((target.spec?.replicas ?? 1) === replicas) return;
    const writeKey = `deployments/scale/${target.metadata?.namespace}/${target.metadata?.name}`;
    if (this.recent.covers(writeKey, target, String(replicas))) return;
    await this.client.mergePatch(DEPLOYMENTS, target.metadata?.namespace, target.metadata?.name ?? '', { spec: { replicas } }, 'scale');
    this.recent.record(writeKey, target, String(replicas));
  }
}
