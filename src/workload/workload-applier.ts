// Carries out the workload side of a decision: the primary Deployment and its config copies, the
// primary autoscaler, and the target's replica count. Reads come from the watch caches; a write
// happens only where the cluster differs from what is wanted.
import type { Canary } from '../api/canary.ts';
import { primaryReplicasOf } from '../api/canary-target.ts';
import { applyIfChanged, type RecentApplies } from '../kube/apply-if-changed.ts';
import type { KubeClient } from '../kube/client.ts';
import { CONFIG_MAPS, DEPLOYMENTS, HORIZONTAL_POD_AUTOSCALERS, SECRETS } from '../kube/resource-types.ts';
import { buildPrimaryAutoscaler } from './autoscaler.ts';
import { key, type CanaryCaches } from './caches.ts';
import { isNotFound } from '../kube/api-error.ts';
import { buildConfigCopy, configChecksum, isTracked, type ConfigObject } from './config-copies.ts';
import { configKey, referencedConfigs, type ConfigKind, type ConfigRef } from './config-refs.ts';
import { primaryName } from './naming.ts';
import { REVISION_ANNOTATION } from './owner.ts';
import { buildPrimaryDeployment } from './primary-deployment.ts';
import { releaseRevision, type PrimaryRelease } from './primary-release.ts';
import { releasesSecretName, ReleaseStore } from './release-store.ts';
import type { Deployment, PodTemplate } from './workload-types.ts';

const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

export class WorkloadApplier {
  private readonly client: KubeClient;
  private readonly caches: CanaryCaches;
  private readonly recent: RecentApplies;
  private readonly releases: ReleaseStore;

  constructor(client: KubeClient, caches: CanaryCaches, recent: RecentApplies) {
    this.client = client;
    this.caches = caches;
    this.recent = recent;
    this.releases = new ReleaseStore(client);
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
   * Puts the target's current pod template and tracked configs into the primary (creating it the
   * first time), after keeping them as a release the primary can go back to. No-op when the primary
   * already runs `revision`. 'stale' when a config changed after `revision` was observed: the caller
   * decides again once its cache has caught up, so the primary never gets content whose checksum
   * the Canary's status does not record.
   */
  async promoteTargetToPrimary(
    canary: Canary,
    target: Deployment,
    revision: string,
    lastPromoted: string | undefined,
  ): Promise<'done' | 'stale'> {
    if (this.primaryRevision(canary) === revision) return 'done';
    const template = target.spec?.template ?? {};
    const configs = await this.readTrackedConfigs(canary, template);
    if (releaseRevision(template, configs) !== revision) return 'stale';
    const release: PrimaryRelease = { revision, template, configs };
    await this.releases.save(canary, release, lastPromoted);
    await this.writePrimary(canary, target, release);
    return 'done';
  }

  /** Puts a kept release back on the primary (after a failed or interrupted promotion). */
  async restorePrimary(canary: Canary, target: Deployment, revision: string | undefined): Promise<void> {
    if (!revision || this.primaryRevision(canary) === revision) return;
    const release = await this.releases.load(canary, revision);
    if (!release) {
      const name = primaryName(target.metadata?.name ?? '');
      throw new Error(
        `${name} must go back to revision ${revision}, but no copy of that revision is kept (Secret ${releasesSecretName(canary.spec.targetRef.name)})`,
      );
    }
    await this.writePrimary(canary, target, release);
  }

  private primaryRevision(canary: Canary): string | undefined {
    const primary = this.caches.deployments.get(key(canary.metadata?.namespace, primaryName(canary.spec.targetRef.name)));
    return primary?.metadata?.annotations?.[REVISION_ANNOTATION];
  }

  /** The tracked configs a template uses, with their data, read now (the cache keeps checksums only). */
  private async readTrackedConfigs(canary: Canary, template: PodTemplate): Promise<ConfigObject[]> {
    const namespace = canary.metadata?.namespace;
    const configs: ConfigObject[] = [];
    for (const ref of referencedConfigs(template.spec ?? {})) {
      const cached = this.cachedConfig(namespace, ref);
      if (!cached || !isTracked(cached)) continue;
      try {
        const config = await this.client.get<ConfigObject>(ref.kind === 'ConfigMap' ? CONFIG_MAPS : SECRETS, namespace, ref.name);
        if (isTracked(config)) configs.push({ ...config, kind: ref.kind });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return configs;
  }

  /** Writes the release's config copies, then the primary that reads them. */
  private async writePrimary(canary: Canary, target: Deployment, release: PrimaryRelease): Promise<void> {
    const namespace = canary.metadata?.namespace;
    const copies = new Map<string, string>();
    for (const config of release.configs) {
      const kind = config.kind as ConfigKind;
      const copy = buildConfigCopy(canary, kind, config);
      const observedCopy = this.cachedConfig(namespace, { kind, name: copy.metadata?.name ?? '' });
      await applyIfChanged(this.client, kind === 'ConfigMap' ? CONFIG_MAPS : SECRETS, copy, observedCopy, this.recent);
      copies.set(`${kind}/${config.metadata?.name}`, copy.metadata?.name ?? '');
    }
    const observed = this.caches.deployments.get(key(namespace, primaryName(target.metadata?.name ?? '')));
    const managedByAutoscaler = canary.spec.autoscalerRef !== undefined;
    const replicas = managedByAutoscaler
      ? undefined
      : (primaryReplicasOf(target.metadata?.annotations) ?? observed?.spec?.replicas ?? Math.max(1, target.spec?.replicas ?? 1));
    const primary = buildPrimaryDeployment(canary, {
      target,
      template: release.template,
      revision: release.revision,
      replicas,
      progressDeadlineSeconds: canary.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS,
      configCopies: copies,
    });
    await applyIfChanged(this.client, DEPLOYMENTS, primary, observed, this.recent);
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
    await this.scale(target, replicas);
  }

  /**
   * Gives the primary the replicas its owner asks for on the target (the primary-replicas annotation
   * a GitSync writes from Git), unless an autoscaler owns them.
   */
  async scalePrimary(canary: Canary, target: Deployment): Promise<void> {
    const wanted = primaryReplicasOf(target.metadata?.annotations);
    if (wanted === undefined || canary.spec.autoscalerRef !== undefined) return;
    const primary = this.caches.deployments.get(key(canary.metadata?.namespace, primaryName(target.metadata?.name ?? '')));
    if (primary) await this.scale(primary, wanted);
  }

  private async scale(deployment: Deployment, replicas: number): Promise<void> {
    if ((deployment.spec?.replicas ?? 1) === replicas) return;
    const writeKey = `deployments/scale/${deployment.metadata?.namespace}/${deployment.metadata?.name}`;
    if (this.recent.covers(writeKey, deployment, String(replicas))) return;
    await this.client.mergePatch(
      DEPLOYMENTS,
      deployment.metadata?.namespace,
      deployment.metadata?.name ?? '',
      { spec: { replicas } },
      'scale',
    );
    this.recent.record(writeKey, deployment, String(replicas));
  }
}
