// Reconciles one GitSync: decide whether the remote must be asked again (interval, request, spec
// change), render the revision when it is new, sync the objects, assess health, write status when it
// changed. The rendered revision is kept in memory only as a cache; everything a restart needs is in
// status (last applied revision, inventory, history).
import type { Canary } from '../api/canary.ts';
import { findCondition, rfc3339 } from '../api/conditions.ts';
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
import { DEPLOYMENTS, GIT_SYNCS } from '../kube/resource-types.ts';
import { keyOf } from '../kube/objects.ts';
import { StaleCacheGuard } from '../kube/stale-cache-guard.ts';
import { writeStatusIfChanged } from '../kube/status-writer.ts';
import type { ReconcileResult } from '../kube/work-queue.ts';
import type { Logger } from '../log.ts';
import type { ApiResources } from '../kube/discovery.ts';
import { canaryTargets } from './canary-owned.ts';
import { resolveDesired, type DesiredObject } from './desired-objects.ts';
import { objectHealth, overallHealth, type HealthVerdict } from './health.ts';
import { unreadyDependencies } from './dependencies.ts';
import type { LiveObjects } from './live-objects.ts';
import type { ObjectApplier, SyncOutcome } from './object-applier.ts';
import { describeRef } from './object-key.ts';
import type { RenderedObject } from './rendered-object.ts';
import type { RenderPipeline } from './render-pipeline.ts';
import type { GitRepositories } from './source/repositories.ts';
import { SyncError } from './sync-error.ts';
import type { SyncInputReader, SyncInputs } from './sync-inputs.ts';
import { REQUESTED_AT_ANNOTATION } from './sync-request.ts';
import { failedStatus, syncedStatus, waitingStatus, withReleases } from './sync-status.ts';
import { decideSync, nextSyncInMs, reusesRender, syncEvent, triggerOf, type SyncDecision } from './sync-decision.ts';
import { revertsDue, trackReleases, type CanaryRef, type ReleaseEntry, type TargetView } from './release-tracking.ts';
import type { CanaryReverter } from './canary-reverter.ts';
import { revertEvent } from './revert-event.ts';
import { outOfScope, scopeProblems, syncScope, type ScopeSettings, type SyncScope } from './sync-scope.ts';
import { gitRevisionOf, trackingValue } from './tracking.ts';
import type { AccessReviews } from '../kube/access-review.ts';
import type { GitSyncMetrics } from './gitsync-metrics.ts';
import { measureSync, type SyncRun } from './sync-measurement.ts';

const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** How soon a reconcile that found its cache older than its own last write looks again. */
const STALE_RETRY_MS = 100;

const intervalOf = (sync: GitSync) => parseDuration(sync.spec.interval ?? '') ?? DEFAULT_INTERVAL_MS;

/** What one path of a reconcile produced; the status is written once, at the end. */
interface SyncStep {
  status?: NonNullable<GitSync['status']>;
  /** The type of the Event that accompanies a changed Ready verdict, if any. */
  eventType?: 'Normal' | 'Warning';
  events?: { type: 'Normal' | 'Warning'; reason: string; message: string }[];
  /** The revision a sync applied and the Canaries whose targets it changed. */
  applied?: { revision: string; canaries: CanaryRef[] };
  /** Invalid, not allowed, suspended or waiting: releases are followed, but nothing is written to Git. */
  halted?: boolean;
  requeueAfterMs?: number;
  /** What a sync ran to, for the metrics; undefined when no sync ran (halted, waiting). */
  ran?: SyncRun;
}

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
  /** Writes the revert of a failed release in Git (spec.onCanaryFailure). */
  reverter?: CanaryReverter;
  metrics: GitSyncMetrics;
}

export class GitSyncReconciler implements Reconciler {
  readonly kind = 'GitSync';
  private readonly deps: GitSyncDependencies;
  private readonly rendered = new Map<string, RenderedCache>();
  /** When a sync last failed, per GitSync: wake-ups by watched objects do not retry it before the interval. */
  private readonly failedAt = new Map<string, { generation: number | undefined; at: number }>();
  /**
   * Reverts written by this process, until status shows them: a reconcile that still sees the status
   * from before the write takes the record from here instead of asking Git again. (Git is the real
   * guard: a revert already in Git commits nothing, across restarts too.)
   */
  private readonly reverted = new Map<string, NonNullable<ReleaseEntry['revert']>>();
  /** Status is built on the cached one (history, releases): never on a copy older than our own last write. */
  private readonly staleGuard = new StaleCacheGuard();

  constructor(deps: GitSyncDependencies) {
    this.deps = deps;
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const sync = this.deps.gitSyncs.get(key);
    if (!sync || sync.metadata?.deletionTimestamp) {
      this.rendered.delete(key);
      this.failedAt.delete(key);
      for (const reverted of this.reverted.keys()) if (reverted.startsWith(`${key}/`)) this.reverted.delete(reverted);
      this.staleGuard.forget(key);
      this.deps.metrics.forget(key);
      return;
    }
    if (this.staleGuard.isStale(key, sync)) return { requeueAfterMs: STALE_RETRY_MS };
    const now = new Date();
    const scope = syncScope(sync, this.deps.scope);
    const decision = this.decide(key, sync, scope, now);
    let step: SyncStep;
    if (decision.kind === 'halt') {
      step = {
        status: waitingStatus(sync, decision.reason, decision.message, now),
        halted: true,
        ...(decision.warning ? { eventType: 'Warning' as const } : {}),
        ...(decision.retryInMs ? { requeueAfterMs: decision.retryInMs } : {}),
      };
    } else if (decision.kind === 'wait') {
      step = { requeueAfterMs: decision.retryInMs };
    } else {
      step = await this.sync(key, sync, scope, decision, now);
      if (step.ran) {
        const seconds = (Date.now() - now.getTime()) / 1000;
        this.deps.metrics.synced(sync.metadata?.namespace ?? '', sync.metadata?.name ?? '', measureSync(step.ran), seconds);
      }
    }
    return this.finish(sync, step, now);
  }

  /** Everything the decision needs, from the GitSync, the operator's settings and this process's render cache. */
  private decide(key: string, sync: GitSync, scope: SyncScope, now: Date): SyncDecision {
    const problems = validateResource(GIT_SYNC, sync, { defaultProvider: '' });
    const notAllowed = problems.length > 0 ? [] : scopeProblems(sync, scope);
    return decideSync({
      invalid: problems.length > 0 ? describeProblems(problems) : undefined,
      notAllowed: notAllowed.length > 0 ? describeProblems(notAllowed) : undefined,
      suspended: Boolean(sync.spec.suspend),
      waitingFor: unreadyDependencies(sync, (dependency) => this.deps.gitSyncs.get(dependency)),
      poll: {
        now: now.getTime(),
        intervalMs: intervalOf(sync),
        generation: sync.metadata?.generation,
        requestedAt: sync.metadata?.annotations?.[REQUESTED_AT_ANNOTATION],
        lastHandledRequestedAt: sync.status?.lastHandledRequestedAt,
        rendered: this.rendered.get(key),
        failed: this.failedAt.get(key),
      },
    });
  }

  private async sync(
    key: string,
    sync: GitSync,
    scope: SyncScope,
    decision: Extract<SyncDecision, { kind: 'sync' }>,
    now: Date,
  ): Promise<SyncStep> {
    const intervalMs = intervalOf(sync);
    const timeoutMs = parseDuration(sync.spec.timeout ?? '') ?? DEFAULT_TIMEOUT_MS;
    const requestedAt = sync.metadata?.annotations?.[REQUESTED_AT_ANNOTATION];
    const cache = this.rendered.get(key);
    const { requested, specChanged, poll: due } = decision;
    let commit: string | undefined = sync.spec.rollbackTo;
    const trigger = (healed = 0) =>
      triggerOf({
        rollingBack: Boolean(sync.spec.rollbackTo),
        commit: commit ?? '',
        lastAppliedRevision: sync.status?.lastAppliedRevision,
        requested,
        specChanged,
        generation: sync.metadata?.generation,
        observedGeneration: sync.status?.observedGeneration,
        healed,
      });
    try {
      const inputs = due || !cache ? await this.deps.inputs.read(sync) : cache.inputs;
      if (!commit)
        commit =
          due || !cache ? (await this.deps.repositories.resolve(sync.spec.url, sync.spec.ref, inputs.credentials)).commit : cache.commit;
      let objects: RenderedObject[];
      if (cache && reusesRender(cache, { commit, inputsDigest: inputs.digest, specChanged, requested })) {
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
        return {
          ...this.failure(sync, outcome.error, { commit, trigger: trigger(), requestedAt, inventory: outcome.inventory, now }),
          requeueAfterMs: intervalMs,
          ran: { outcome },
        };
      }
      this.failedAt.delete(key);
      const health = overallHealth(
        await Promise.all(desired.map(async (object) => ({ name: describeRef(object.ref), verdict: await this.healthOf(object, scope) }))),
      );
      const canaryReplicas = desired.flatMap((object) => (object.replicasToCanary ? [object.replicasToCanary] : []));
      const status = syncedStatus(sync, {
        canaryReplicas,
        commit,
        trigger: trigger(outcome.healed.length),
        outcome,
        health,
        rolledBack: Boolean(sync.spec.rollbackTo),
        requestedAt: requested ? requestedAt : undefined,
        now,
      });
      const event = syncEvent(commit, outcome);
      if (event) {
        const timing = { fetchAndRenderMs: renderedAt - now.getTime(), syncMs: Date.now() - renderedAt };
        this.deps.log.info(
          { gitsync: key, revision: commit, trigger: trigger(outcome.healed.length), ...timing },
          `synced: ${event.message}`,
        );
      }
      return {
        status,
        ...(event ? { events: [{ type: 'Normal' as const, ...event }] } : {}),
        applied: { revision: commit, canaries: this.releasedCanaries(desired, outcome) },
        ran: { outcome },
        requeueAfterMs: nextSyncInMs({
          now: now.getTime(),
          intervalMs,
          polledAt: this.rendered.get(key)?.polledAt ?? now.getTime(),
          ...(outcome.retryHealInMs !== undefined ? { retryHealInMs: outcome.retryHealInMs } : {}),
        }),
      };
    } catch (error) {
      const failed = error instanceof SyncError ? error : new SyncError('apply', errorMessage(error));
      this.failedAt.set(key, { generation: sync.metadata?.generation, at: now.getTime() });
      if (failed.stage === 'fetch' && cache) cache.polledAt = now.getTime();
      else this.rendered.delete(key);
      return {
        ...this.failure(sync, failed, { commit, trigger: trigger(), requestedAt, now }),
        requeueAfterMs: intervalMs,
        ran: { error: failed },
      };
    }
  }

  /** The Canaries whose target this sync created or changed: each gets a release entry for the revision. */
  private releasedCanaries(desired: DesiredObject[], outcome: SyncOutcome): CanaryRef[] {
    const changed = new Set([...outcome.created, ...outcome.updated]);
    const canaries = this.deps.canaries.list();
    return desired.flatMap((object) => {
      if (!changed.has(describeRef(object.ref)) || object.ref.kind !== 'Deployment') return [];
      return canaries
        .filter(
          (canary) =>
            canary.metadata?.namespace === object.ref.namespace &&
            canary.spec?.targetRef?.name === object.ref.name &&
            (canary.spec.targetRef.kind ?? 'Deployment') === 'Deployment',
        )
        .map((canary) => ({ name: canary.metadata?.name ?? '', namespace: canary.metadata?.namespace ?? '' }));
    });
  }

  /**
   * Follows the releases of the revisions applied, reverts failed ones in Git when the GitSync asks
   * for it, and writes the status once.
   */
  private async finish(sync: GitSync, step: SyncStep, now: Date): Promise<ReconcileResult | void> {
    const base = step.status ?? sync.status ?? {};
    const gitSync = keyOf(sync);
    const open = [...(base.releases ?? []).filter((entry) => entry.phase === 'Pending'), ...(step.applied?.canaries ?? [])];
    const targets = new Map<string, TargetView | undefined>();
    for (const ref of open) {
      const key = `${ref.namespace ?? ''}/${'canary' in ref ? ref.canary : ref.name}`;
      const canary = this.deps.canaries.get(key);
      if (canary && !targets.has(key)) targets.set(key, await this.targetView(canary));
    }
    let releases = trackReleases(base.releases, {
      gitSync,
      ...(step.applied ? { applied: step.applied } : {}),
      canary: (ref) => this.deps.canaries.get(`${ref.namespace}/${ref.name}`),
      target: (canary) => targets.get(`${canary.metadata?.namespace}/${canary.metadata?.name}`),
      now,
    });
    this.logReleaseChanges(gitSync, base.releases, releases, targets);
    const events = [...(step.events ?? [])];
    let requeueAfterMs = step.requeueAfterMs;
    for (const entry of step.halted ? [] : revertsDue(releases, sync)) {
      const revert = await this.revert(sync, entry, now);
      releases = releases.map((other) => (other === entry ? { ...entry, revert } : other));
      events.push(revertEvent(entry, revert));
      // A revert on the synced branch is applied now, not at the next poll.
      if (revert.commit && sync.spec.onCanaryFailure?.revert === 'commit') {
        const cached = this.rendered.get(keyOf(sync));
        if (cached) cached.polledAt = 0;
        requeueAfterMs = 0;
      }
    }
    const status = withReleases(sync, base, releases.length > 0 ? releases : undefined, now);
    await this.writeStatus(sync, status, step.eventType);
    this.deps.metrics.appliedRevision(sync.metadata?.namespace ?? '', sync.metadata?.name ?? '', status.lastAppliedRevision);
    for (const event of events) await this.deps.events.record(sync, event.type, event.reason, event.message);
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
  }

  /** Debug lines for each release entry whose phase changed, with what the decision saw. */
  private logReleaseChanges(
    gitSync: string,
    before: ReleaseEntry[] | undefined,
    after: ReleaseEntry[],
    targets: Map<string, TargetView | undefined>,
  ): void {
    for (const entry of after) {
      const previous = before?.find((other) => other.canary === entry.canary && other.revision === entry.revision);
      if (previous?.phase === entry.phase) continue;
      const key = `${entry.namespace ?? ''}/${entry.canary}`;
      const canary = this.deps.canaries.get(key)?.status;
      this.deps.log.debug(
        {
          gitsync: gitSync,
          canary: entry.canary,
          revision: entry.revision,
          phase: entry.phase,
          target: targets.get(key),
          seen: { phase: canary?.phase, release: canary?.release?.revision, targetGeneration: canary?.observedTargetGeneration },
        },
        'release entry changed',
      );
    }
  }

  private async revert(sync: GitSync, entry: ReleaseEntry, now: Date): Promise<NonNullable<ReleaseEntry['revert']>> {
    const key = `${keyOf(sync)}/${entry.namespace ?? ''}/${entry.canary}/${entry.revision}`;
    const known = this.reverted.get(key);
    if (known) return known;
    const revert = await this.writeRevert(sync, entry, now);
    this.reverted.set(key, revert);
    return revert;
  }

  private async writeRevert(sync: GitSync, entry: ReleaseEntry, now: Date): Promise<NonNullable<ReleaseEntry['revert']>> {
    const time = rfc3339(now);
    const canary = this.deps.canaries.get(`${entry.namespace ?? ''}/${entry.canary}`);
    if (!canary || !this.deps.reverter) return { error: canary ? 'no reverter is configured' : `Canary ${entry.canary} is gone`, time };
    try {
      const outcome = await this.deps.reverter.revert(sync, entry, canary);
      return { ...outcome, time };
    } catch (error) {
      const message = errorMessage(error);
      this.deps.log.warn({ gitsync: keyOf(sync), canary: entry.canary, err: message }, 'revert failed');
      return { error: message, time };
    }
  }

  private async targetView(canary: Canary): Promise<TargetView | undefined> {
    const target = await this.deps.live.get(DEPLOYMENTS, canary.metadata?.namespace, canary.spec.targetRef.name);
    if (!target) return undefined;
    return {
      ...(gitRevisionOf(target) ? { revision: gitRevisionOf(target) } : {}),
      ...(target.metadata?.generation !== undefined ? { generation: target.metadata.generation } : {}),
    };
  }

  /** Health from the watch cache; a GitSync acting as a ServiceAccount sees only what that account may read. */
  private async healthOf(object: DesiredObject, scope: SyncScope): Promise<HealthVerdict> {
    if (!object.type) return objectHealth(undefined);
    if (scope.actAs && !(await this.deps.access.allowed(scope.actAs, 'get', object.type, object.ref.namespace))) {
      return { health: 'Unknown', message: `${scope.actAs} may not read it` };
    }
    return objectHealth(await this.deps.live.get(object.type, object.ref.namespace, object.ref.name));
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

  private failure(
    sync: GitSync,
    error: SyncError,
    report: { commit: string | undefined; trigger: string; requestedAt: string | undefined; inventory?: DesiredObject['ref'][]; now: Date },
  ): SyncStep {
    const requested = report.requestedAt !== undefined && report.requestedAt !== sync.status?.lastHandledRequestedAt;
    this.deps.log.warn({ gitsync: keyOf(sync), stage: error.stage, err: error.message }, 'sync failed');
    return {
      status: failedStatus(sync, {
        error,
        commit: report.commit,
        trigger: report.trigger,
        requestedAt: requested ? report.requestedAt : undefined,
        ...(report.inventory ? { inventory: report.inventory } : {}),
        now: report.now,
      }),
      eventType: 'Warning',
    };
  }

  /** Writes status when it changed; an event accompanies a Ready verdict that changed. */
  private async writeStatus(sync: GitSync, status: NonNullable<GitSync['status']>, eventType?: 'Normal' | 'Warning'): Promise<void> {
    const before = findCondition(sync.status?.conditions, 'Ready');
    if (!(await writeStatusIfChanged(this.deps.client, GIT_SYNCS, sync, status))) return;
    this.staleGuard.wrote(keyOf(sync), sync);
    const after = findCondition(status.conditions, 'Ready');
    const type = after?.reason === 'CanaryFailed' ? 'Warning' : eventType;
    if (type && after && (before?.message !== after.message || before?.reason !== after.reason)) {
      await this.deps.events.record(sync, type, after.reason ?? 'Ready', after.message ?? after.reason ?? '');
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
