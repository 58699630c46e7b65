// Reconciles one GitSync: decide whether the remote must be asked again (interval, request, spec
// change), render the revision when it is new, sync the objects, assess health, write status when it
// changed. The rendered revision is kept in memory only as a cache; everything a restart needs is in
// status (last applied revision, inventory, history).
import type { Canary } from '../api/canary.ts';
import { findCondition } from '../api/conditions.ts';
import { parseDuration } from '../api/duration.ts';
import type { GitSync } from '../api/git-sync.ts';
import { GIT_SYNC } from '../api/kinds.ts';
import { describeProblems } from '../api/validation/field-problem.ts';
import { validateResource } from '../api/validation/validate-resource.ts';
import { errorMessage } from '../errors.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Reconciler } from '../kube/controller.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { Informer } from '../kube/informer.ts';
import { GIT_SYNCS } from '../kube/resource-types.ts';
import { writeStatusIfChanged } from '../kube/status-writer.ts';
import type { ReconcileResult } from '../kube/work-queue.ts';
import type { Logger } from '../log.ts';
import type { ApiResources } from '../kube/discovery.ts';
import { canaryTargets } from './canary-owned.ts';
import { resolveDesired, type DesiredObject } from './desired-objects.ts';
import { objectHealth, overallHealth, type HealthVerdict } from './health.ts';
import { decidePoll } from './poll-decision.ts';
import { unreadyDependencies } from './dependencies.ts';
import type { LiveObjects } from './live-objects.ts';
import type { ObjectApplier } from './object-applier.ts';
import { describeRef } from './object-key.ts';
import type { RenderedObject } from './rendered-object.ts';
import type { RenderPipeline } from './render-pipeline.ts';
import type { GitRepositories } from './source/repositories.ts';
import { SyncError } from './sync-error.ts';
import type { SyncInputReader, SyncInputs } from './sync-inputs.ts';
import { REQUESTED_AT_ANNOTATION } from './sync-request.ts';
import { failedStatus, syncedStatus, waitingStatus } from './sync-status.ts';
import { outOfScope, scopeProblems, syncScope, type ScopeSettings, type SyncScope } from './sync-scope.ts';
import { trackingValue } from './tracking.ts';
import type { AccessReviews } from '../kube/access-review.ts';

const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const DEPENDENCY_RETRY_MS = 10_000;

/** What the last reconcile rendered, to skip fetch and render while nothing upstream changed. */
interface RenderedCache {
  commit: string;
  generation: number | undefined;
  inputsDigest: string;
  objects: RenderedObject[];
  inputs: SyncInputs;
  polledAt: number;
}

export interface GitSyncDependencies {
  client: KubeClient;
  events: EventRecorder;
  log: Logger;
  gitSyncs: Informer<GitSync>;
  canaries: Informer<Canary>;
  repositories: GitRepositories;
  pipeline: RenderPipeline;
  inputs: SyncInputReader;
  resources: ApiResources;
  live: LiveObjects;
  applier: ObjectApplier;
  /** The operator's tenancy settings: who a GitSync acts as, and where. */
  scope: ScopeSettings;
  /** Answers what a GitSync's ServiceAccount may read, for the health Wren reads from its caches. */
  access: AccessReviews;
}

export class GitSyncReconciler implements Reconciler {
  readonly kind = 'GitSync';
  private readonly deps: GitSyncDependencies;
  private readonly rendered = new Map<string, RenderedCache>();
  /** When a sync last failed, per GitSync: wake-ups by watched objects do not retry it before the interval. */
  private readonly failedAt = new Map<string, { generation: number | undefined; at: number }>();

  constructor(deps: GitSyncDependencies) {
    this.deps = deps;
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const sync = this.deps.gitSyncs.get(key);
    if (!sync || sync.metadata?.deletionTimestamp) {
      this.rendered.delete(key);
      this.failedAt.delete(key);
      return;
    }
    const now = new Date();
    const problems = validateResource(GIT_SYNC, sync, { defaultProvider: '' });
    if (problems.length > 0) {
      await this.writeStatus(sync, waitingStatus(sync, 'InvalidSpec', describeProblems(problems), now), 'Warning', 'InvalidSpec');
      return;
    }
    const scope = syncScope(sync, this.deps.scope);
    const notAllowed = scopeProblems(sync, scope);
    if (notAllowed.length > 0) {
      await this.writeStatus(sync, waitingStatus(sync, 'NotAllowed', describeProblems(notAllowed), now), 'Warning', 'NotAllowed');
      return;
    }
    if (sync.spec.suspend) {
      await this.writeStatus(sync, waitingStatus(sync, 'Suspended', 'spec.suspend is true: not syncing', now));
      return;
    }
    const waitingFor = unreadyDependencies(sync, (key) => this.deps.gitSyncs.get(key));
    if (waitingFor.length > 0) {
      await this.writeStatus(sync, waitingStatus(sync, 'DependencyNotReady', `waiting for ${waitingFor.join(', ')}`, now));
      return { requeueAfterMs: DEPENDENCY_RETRY_MS };
    }
    return this.sync(key, sync, scope, now);
  }

  private async sync(key: string, sync: GitSync, scope: SyncScope, now: Date): Promise<ReconcileResult> {
    const intervalMs = parseDuration(sync.spec.interval ?? '') ?? DEFAULT_INTERVAL_MS;
    const timeoutMs = parseDuration(sync.spec.timeout ?? '') ?? DEFAULT_TIMEOUT_MS;
    const requestedAt = sync.metadata?.annotations?.[REQUESTED_AT_ANNOTATION];
    const cache = this.rendered.get(key);
    const decision = decidePoll({
      now: now.getTime(),
      intervalMs,
      generation: sync.metadata?.generation,
      requestedAt,
      lastHandledRequestedAt: sync.status?.lastHandledRequestedAt,
      rendered: cache,
      failed: this.failedAt.get(key),
    });
    if (decision.kind === 'wait') return { requeueAfterMs: decision.retryInMs };
    const { requested, specChanged, poll: due } = decision;
    let commit: string | undefined = sync.spec.rollbackTo;
    let trigger = 'interval';
    try {
      const inputs = due || !cache ? await this.deps.inputs.read(sync) : cache.inputs;
      if (!commit)
        commit =
          due || !cache ? (await this.deps.repositories.resolve(sync.spec.url, sync.spec.ref, inputs.credentials)).commit : cache.commit;
      trigger = this.triggerOf(sync, commit, specChanged, requested);
      let objects: RenderedObject[];
      if (cache && !specChanged && cache.inputsDigest === inputs.digest && cache.commit.startsWith(commit) && !requested) {
        objects = cache.objects;
        commit = cache.commit;
        if (due) cache.polledAt = now.getTime();
      } else {
        const revision = await this.deps.pipeline.render(sync, commit, inputs, timeoutMs);
        commit = revision.commit;
        objects = revision.objects;
        this.rendered.set(key, {
          commit,
          generation: sync.metadata?.generation,
          inputsDigest: inputs.digest,
          objects,
          inputs,
          polledAt: now.getTime(),
        });
      }
      const renderedAt = Date.now();
      const desired = await this.desiredObjects(sync, objects, commit);
      refuseOutOfScope(desired, scope);
      const outcome = await this.deps.applier.sync(desired, {
        writer: scope.actAs ? this.deps.client.impersonating(scope.actAs) : this.deps.client,
        inScope: (ref) => outOfScope(ref, scope) === undefined,
        tracking: trackingValue(sync.metadata?.namespace ?? '', sync.metadata?.name ?? ''),
        inventory: sync.status?.inventory ?? [],
        prune: sync.spec.prune ?? true,
        allowEmpty: sync.spec.allowEmpty ?? false,
        selfHeal: sync.spec.selfHeal ?? true,
        ...(sync.spec.createNamespace && sync.spec.targetNamespace ? { createNamespace: sync.spec.targetNamespace } : {}),
        now: now.getTime(),
      });
      if (outcome.error) {
        this.failedAt.set(key, { generation: sync.metadata?.generation, at: now.getTime() });
        await this.fail(sync, outcome.error, { commit, trigger, requestedAt, inventory: outcome.inventory, now });
        return { requeueAfterMs: intervalMs };
      }
      this.failedAt.delete(key);
      if (outcome.healed.length > 0 && trigger === 'interval') trigger = 'drift';
      const health = overallHealth(
        await Promise.all(desired.map(async (object) => ({ name: describeRef(object.ref), verdict: await this.healthOf(object, scope) }))),
      );
      const canaryReplicas = desired.flatMap((object) => (object.replicasToCanary ? [object.replicasToCanary] : []));
      const status = syncedStatus(sync, {
        canaryReplicas,
        commit,
        trigger,
        outcome,
        health,
        rolledBack: Boolean(sync.spec.rollbackTo),
        requestedAt: requested ? requestedAt : undefined,
        now,
      });
      const changes = [
        outcome.created.length ? `${outcome.created.length} created` : '',
        outcome.updated.length ? `${outcome.updated.length} updated` : '',
        outcome.healed.length ? `${outcome.healed.length} corrected (drift: ${outcome.healed.join(', ')})` : '',
        outcome.deleted.length ? `${outcome.deleted.length} deleted` : '',
      ].filter(Boolean);
      await this.writeStatus(sync, status);
      if (changes.length > 0) {
        const timing = { fetchAndRenderMs: renderedAt - now.getTime(), syncMs: Date.now() - renderedAt };
        this.deps.log.info({ gitsync: key, revision: commit, trigger, ...timing }, `synced: ${changes.join(', ')}`);
      }
      if (changes.length > 0)
        await this.deps.events.record(
          sync,
          'Normal',
          outcome.healed.length ? 'DriftCorrected' : 'Synced',
          `revision ${commit.slice(0, 12)}: ${changes.join(', ')}`,
        );
      const pollIn = Math.max(1000, intervalMs - (now.getTime() - (this.rendered.get(key)?.polledAt ?? now.getTime())));
      return { requeueAfterMs: Math.min(pollIn, outcome.retryHealInMs ?? Infinity) };
    } catch (error) {
      const failed = error instanceof SyncError ? error : new SyncError('apply', errorMessage(error));
      this.failedAt.set(key, { generation: sync.metadata?.generation, at: now.getTime() });
      if (failed.stage === 'fetch' && cache) cache.polledAt = now.getTime();
      else this.rendered.delete(key);
      await this.fail(sync, failed, { commit, trigger, requestedAt, now });
      return { requeueAfterMs: intervalMs };
    }
  }

  /** Health from the watch cache; a GitSync acting as a ServiceAccount sees only what that account may read. */
  private async healthOf(object: DesiredObject, scope: SyncScope): Promise<HealthVerdict> {
    if (!object.type) return objectHealth(undefined);
    if (scope.actAs && !(await this.deps.access.allowed(scope.actAs, 'get', object.type, object.ref.namespace))) {
      return { health: 'Unknown', message: `${scope.actAs} may not read it` };
    }
    return objectHealth(await this.deps.live.get(object.type, object.ref.namespace, object.ref.name));
  }

  private triggerOf(sync: GitSync, commit: string, specChanged: boolean, requested: boolean): string {
    if (sync.spec.rollbackTo) return 'rollback';
    if (!(sync.status?.lastAppliedRevision ?? '').startsWith(commit)) return 'new revision';
    if (requested) return 'request';
    if (specChanged && sync.status?.observedGeneration !== sync.metadata?.generation) return 'spec change';
    return 'interval';
  }

  private async desiredObjects(sync: GitSync, objects: RenderedObject[], revision: string): Promise<DesiredObject[]> {
    const namespace = sync.spec.targetNamespace ?? sync.metadata?.namespace ?? 'default';
    const live = this.deps.canaries.list();
    const isLive = (canary: Canary) =>
      live.some((other) => other.metadata?.name === canary.metadata?.name && other.metadata?.namespace === canary.metadata?.namespace);
    // Canaries of this same revision count too: their targets are theirs from the first sync on.
    const fromGit = objects
      .map(({ object }) => object as Canary)
      .filter((object) => object.kind === 'Canary' && (object.apiVersion ?? '').startsWith('wren.dev/'))
      .map((canary) => ({ ...canary, metadata: { ...canary.metadata, namespace: canary.metadata?.namespace || namespace } }))
      .filter((canary) => !isLive(canary));
    return resolveDesired(objects, {
      namespace,
      tracking: trackingValue(sync.metadata?.namespace ?? '', sync.metadata?.name ?? ''),
      revision,
      resources: this.deps.resources,
      targets: canaryTargets([...live, ...fromGit]),
    });
  }

  private async fail(
    sync: GitSync,
    error: SyncError,
    report: { commit: string | undefined; trigger: string; requestedAt: string | undefined; inventory?: DesiredObject['ref'][]; now: Date },
  ): Promise<void> {
    const requested = report.requestedAt !== undefined && report.requestedAt !== sync.status?.lastHandledRequestedAt;
    const status = failedStatus(sync, {
      error,
      commit: report.commit,
      trigger: report.trigger,
      requestedAt: requested ? report.requestedAt : undefined,
      ...(report.inventory ? { inventory: report.inventory } : {}),
      now: report.now,
    });
    this.deps.log.warn(
      { gitsync: `${sync.metadata?.namespace}/${sync.metadata?.name}`, stage: error.stage, err: error.message },
      'sync failed',
    );
    await this.writeStatus(sync, status, 'Warning', status.conditions?.find((condition) => condition.type === 'Ready')?.reason);
  }

  /** Writes status when it changed; an event accompanies a Ready verdict that changed. */
  private async writeStatus(
    sync: GitSync,
    status: NonNullable<GitSync['status']>,
    eventType?: 'Normal' | 'Warning',
    reason?: string,
  ): Promise<void> {
    const before = findCondition(sync.status?.conditions, 'Ready');
    if (!(await writeStatusIfChanged(this.deps.client, GIT_SYNCS, sync, status))) return;
    const after = findCondition(status.conditions, 'Ready');
    if (eventType && reason && after && (before?.message !== after.message || before?.reason !== after.reason)) {
      await this.deps.events.record(sync, eventType, reason, after.message ?? reason);
    }
  }
}

/** Stops the sync before any write when Git holds an object the GitSync may not touch. */
function refuseOutOfScope(desired: DesiredObject[], scope: SyncScope): void {
  for (const object of desired) {
    const problem = outOfScope(object.ref, scope);
    if (problem) throw new SyncError('authorize', problem, { file: object.source, object: describeRef(object.ref) });
  }
}
