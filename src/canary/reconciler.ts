// The canary controller: for one Canary, read the caches, ask the analyzer when a step is due, let
// the pure core decide, carry the decision out idempotently, then record it in status. Every write
// is derived from status plus what the cluster shows, so a restart at any point resumes safely.
import type { Canary } from '../api/canary.ts';
import type { MetricTemplate } from '../api/metric-template.ts';
import { alertSeverity } from '../alerts/alert-policy.ts';
import type { AlertSender } from '../alerts/alert-sender.ts';
import { errorMessage } from '../errors.ts';
import type { CanaryPhase } from '../api/canary.ts';
import { CANARY } from '../api/kinds.ts';
import { describeProblems } from '../api/validation/field-problem.ts';
import { validateResource } from '../api/validation/validate-resource.ts';
import { missingTemplateProblems } from '../api/validation/canary-rules.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Reconciler } from '../kube/controller.ts';
import type { EventRecorder } from '../kube/events.ts';
import { hasFinalizer, setFinalizer } from '../kube/finalizers.ts';
import { keyOf } from '../kube/objects.ts';
import { CANARIES } from '../kube/resource-types.ts';
import { StaleCacheGuard } from '../kube/stale-cache-guard.ts';
import { writeStatusIfChanged } from '../kube/status-writer.ts';
import type { ReconcileResult } from '../kube/work-queue.ts';
import type { TrafficRouter } from '../routing/router.ts';
import type { RouterRegistry } from '../routing/registry.ts';
import { key, type CanaryCaches } from '../workload/caches.ts';
import { primarySelector } from '../workload/naming.ts';
import type { WorkloadApplier } from '../workload/workload-applier.ts';
import type { Deployment } from '../workload/workload-types.ts';
import type { Analyzer, StepContext } from './analysis-seam.ts';
import type { CanaryMetrics } from './canary-metrics.ts';
import { withConditions, type Blocker } from './conditions.ts';
import { decide } from './decide.ts';
import type { EngineOutput, Routes } from './engine-types.ts';
import { observe, type BaseObservations } from './observe.ts';
import { BackgroundChecks, type CheckResults } from './background-checks.ts';
import { analysisPlan, planIsEmpty, type AnalysisPlan } from './plan.ts';
import { newChecks } from './new-checks.ts';

export const CANARY_FINALIZER = 'wren.dev/canary';

export interface CanaryReconcilerDeps {
  client: KubeClient;
  caches: CanaryCaches;
  routers: RouterRegistry;
  workloads: WorkloadApplier;
  analyzer: Analyzer;
  events: EventRecorder;
  metrics: CanaryMetrics;
  alerts?: AlertSender;
  defaultProvider: string;
  /** The MetricTemplates Canaries refer to, from the watch cache. */
  metricTemplate?: (namespace: string, name: string) => MetricTemplate | undefined;
  clock?: () => Date;
}

/** True when every failed check is a webhook marked muteAlert (Flagger's per-hook alert switch). */
function onlyMutedHooksFailed(canary: Canary, failedChecks: string[] | undefined): boolean {
  if (!failedChecks?.length) return false;
  const muted = new Set((canary.spec.analysis.webhooks ?? []).filter((hook) => hook.muteAlert).map((hook) => hook.name));
  return failedChecks.every((name) => muted.has(name));
}

const sameRoutes = (a: Routes | undefined, b: Routes) =>
  a?.primaryWeight === b.primaryWeight && a.canaryWeight === b.canaryWeight && Boolean(a.mirror) === Boolean(b.mirror);

/** How soon to look again while the cache has not yet caught up with our own write. */
const STALE_RETRY_MS = 100;

export class CanaryReconciler implements Reconciler {
  readonly kind = 'Canary';
  private readonly deps: CanaryReconcilerDeps;
  private readonly now: () => Date;
  private readonly staleGuard = new StaleCacheGuard();
  private readonly checks: BackgroundChecks;
  /** Set by the controller wiring: queues a Canary again (when its background checks finish). */
  requeue: (key: string) => void = () => undefined;

  constructor(deps: CanaryReconcilerDeps) {
    this.deps = deps;
    this.now = deps.clock ?? (() => new Date());
    this.checks = new BackgroundChecks((key) => this.requeue(key));
  }

  async reconcile(canaryKey: string): Promise<ReconcileResult | void> {
    const { caches, client } = this.deps;
    const canary = caches.canaries.get(canaryKey);
    if (!canary) {
      this.deps.metrics.forget(canaryKey);
      this.staleGuard.forget(canaryKey);
      this.checks.forget(canaryKey);
      return;
    }
    if (this.staleGuard.isStale(canaryKey, canary)) return { requeueAfterMs: STALE_RETRY_MS };
    const deleting = canary.metadata?.deletionTimestamp !== undefined;
    if (deleting && !hasFinalizer(canary, CANARY_FINALIZER)) return;

    const problems = validateResource(CANARY, canary, {
      defaultProvider: this.deps.defaultProvider,
      ...(this.deps.metricTemplate ? { metricTemplate: this.deps.metricTemplate } : {}),
    });
    if (problems.length > 0) return this.block(canary, { reason: 'InvalidSpec', message: describeProblems(problems) }, deleting);
    if (!deleting && !hasFinalizer(canary, CANARY_FINALIZER)) {
      // The finalizer lets Wren bring the target back before generated objects are garbage-collected.
      await setFinalizer(client, CANARIES, canary, CANARY_FINALIZER, true);
      this.staleGuard.wrote(canaryKey, canary);
      return;
    }
    const target = caches.deployments.get(key(canary.metadata?.namespace, canary.spec.targetRef.name));
    if (!target) {
      return this.block(
        canary,
        { reason: 'TargetNotFound', message: `Deployment ${canary.spec.targetRef.name} (spec.targetRef) does not exist` },
        deleting,
      );
    }
    if (!primarySelector(target.spec?.selector?.matchLabels ?? {})) {
      const message = `Deployment ${canary.spec.targetRef.name} must select its pods by one of the labels app, name or app.kubernetes.io/name`;
      return this.block(canary, { reason: 'InvalidTarget', message }, deleting);
    }
    const missingTemplates = deleting || !this.deps.metricTemplate ? [] : missingTemplateProblems(canary, this.deps.metricTemplate);
    if (missingTemplates.length > 0) {
      return this.block(canary, { reason: 'TemplateNotFound', message: describeProblems(missingTemplates) }, deleting);
    }
    const router = this.deps.routers.routerFor(canary, this.deps.defaultProvider);
    if (!router) {
      const provider = canary.spec.provider ?? this.deps.defaultProvider;
      return this.block(
        canary,
        { reason: 'ProviderUnavailable', message: `provider ${provider} (spec.provider) is not available in this build` },
        deleting,
      );
    }
    try {
      return await this.run(canaryKey, canary, target, router);
    } catch (error) {
      // The work queue retries with backoff; meanwhile the user sees why nothing moves.
      await this.block(canary, { reason: 'ReconcileFailed', message: errorMessage(error) }, false).catch(() => undefined);
      throw error;
    }
  }

  private async run(canaryKey: string, canary: Canary, target: Deployment, router: TrafficRouter): Promise<ReconcileResult> {
    const now = this.now();
    const status = canary.status ?? {};
    const base = observe(canary, target, this.deps.caches, this.deps.workloads, router);
    const plan = analysisPlan(canary.spec, status, base, now);
    const step: StepContext = {
      phase: status.phase || 'Initializing',
      canaryWeight: status.canaryWeight ?? 0,
      revision: base.targetRevision,
    };
    const results = planIsEmpty(plan)
      ? { gates: {} }
      : this.checks.collect(canaryKey, plan.moment, () => this.runChecks(canary, plan, step));
    const gathered = results === 'pending' ? { gates: {}, checksPending: true } : results;
    const output = decide({ spec: canary.spec, status, observed: { ...base, ...gathered }, now });

    // Status first: the decision is recorded before acting on it, so a crash in between repeats
    // the idempotent effects, never the analysis. Every effect follows from the recorded phase.
    // The target's generation counts as acted on only by a decision that had its checks' answers: one
    // that waits for them (a gate asked on a new revision) has not acted on the revision yet.
    const actedOn = results === 'pending' ? status.observedTargetGeneration : target.metadata?.generation;
    const nextStatus = {
      ...withConditions(output.status, canary.metadata?.generation, undefined, now),
      ...(actedOn === undefined ? {} : { observedTargetGeneration: actedOn }),
    };
    if (await writeStatusIfChanged(this.deps.client, CANARIES, canary, nextStatus)) this.staleGuard.wrote(canaryKey, canary);
    const wasBlocked = canary.status?.conditions?.find((condition) => condition.type === 'Ready' && condition.status === 'False');
    if (wasBlocked) {
      const reason = wasBlocked.reason === 'InvalidSpec' ? 'SpecValid' : 'Accepted';
      void this.deps.events.record(canary, 'Normal', reason, `${wasBlocked.reason} is resolved; the canary is managed again`);
    }
    this.announce(canary, output, { ...step, revision: output.status.lastAppliedSpec ?? base.targetRevision }, now);
    await this.carryOut(canary, target, router, output, base);
    if (output.desired.finalize === 'release') await setFinalizer(this.deps.client, CANARIES, canary, CANARY_FINALIZER, false);
    return output.requeueAfterMs === undefined ? {} : { requeueAfterMs: output.requeueAfterMs };
  }

  /** Everything the plan asks for, in parallel; runs in the background (see BackgroundChecks). */
  private async runChecks(canary: Canary, plan: AnalysisPlan, step: StepContext): Promise<CheckResults> {
    const { analyzer } = this.deps;
    const [verdict, answers, preRollout, rollbackRequested, metricsOffline] = await Promise.all([
      plan.analyze ? analyzer.analyze(canary, step) : undefined,
      Promise.all(plan.gates.map(async (gate) => [gate, await analyzer.gateOpen(canary, gate, step)] as const)),
      plan.preRollout ? analyzer.preRollout(canary, step) : undefined,
      plan.rollbackCheck ? analyzer.rollbackRequested(canary, step) : undefined,
      plan.metricsOnline ? analyzer.metricsOffline(canary) : undefined,
    ]);
    return {
      gates: Object.fromEntries(answers),
      ...(metricsOffline ? { metricsOffline } : {}),
      ...(verdict ? { verdict } : {}),
      ...(preRollout ? { preRollout } : {}),
      ...(rollbackRequested !== undefined ? { rollbackRequested } : {}),
    };
  }

  /**
   * Makes the cluster match the decision; each step is skipped when already true. 'stale' when the
   * target's configs changed since they were observed: nothing more is done until the caches catch up.
   */
  private async carryOut(
    canary: Canary,
    target: Deployment,
    router: TrafficRouter,
    output: EngineOutput,
    base: BaseObservations,
  ): Promise<'done' | 'stale'> {
    const { workloads } = this.deps;
    const { desired, status } = output;
    if (desired.primary === 'target') {
      if ((await workloads.promoteTargetToPrimary(canary, target, base.targetRevision, status.lastPromotedSpec)) === 'stale')
        return 'stale';
    } else if (desired.primary === 'last-promoted') {
      await workloads.restorePrimary(canary, target, status.lastPromotedSpec);
    }
    if (desired.primary !== 'unchanged') await workloads.scalePrimary(canary, target);
    await workloads.ensureAutoscaler(canary);
    const replicas = desired.targetReplicas;
    // Scale up before traffic moves to the target; scale down only after it moved away.
    if (replicas !== undefined && replicas > 0) await workloads.scaleTarget(target, replicas);
    if (desired.finalize === 'restore' || desired.finalize === 'release') {
      if (canary.spec.revertOnDeletion) await router.finalize(canary);
    } else if (!sameRoutes(base.routes, desired.routes)) {
      await router.setRoutes(canary, desired.routes);
    } else {
      await router.reconcile(canary);
    }
    if (replicas === 0) await workloads.scaleTarget(target, 0);
    return 'done';
  }

  /**
   * Tells the world what happened: metrics, Events, event and post-rollout webhooks, alerts. All of
   * it happens in the background and none of it can fail a reconcile.
   */
  private announce(canary: Canary, output: EngineOutput, step: StepContext, now: Date): void {
    const name = canary.metadata?.name ?? '';
    const namespace = canary.metadata?.namespace ?? '';
    const phase = (output.status.phase || 'Initializing') as CanaryPhase;
    this.deps.metrics.observe(namespace, name, phase, output.desired.routes.canaryWeight);
    this.deps.metrics.checked(namespace, name, newChecks(canary.status?.checks, output.status.checks));
    const transition = output.transition;
    const finished = transition && transition.to !== transition.from && (transition.to === 'Succeeded' || transition.to === 'Failed');
    if (transition && finished) {
      this.deps.metrics.finished(
        namespace,
        name,
        transition.to as 'Succeeded' | 'Failed',
        transition.reason,
        output.status.runStartedAt,
        now,
      );
      this.deps.analyzer.notify(canary, 'post-rollout', { ...step, phase });
    }
    const happenings = [...(transition ? [transition] : []), ...output.notices];
    for (const happening of happenings) {
      const type = happening.warning ? 'Warning' : 'Normal';
      void this.deps.events.record(canary, type, happening.reason, happening.message);
      this.deps.analyzer.notify(
        canary,
        'event',
        { ...step, phase },
        { eventMessage: happening.message, eventType: type, eventReason: happening.reason },
      );
      const severity = alertSeverity(happening.reason, phase);
      const failedChecks = 'failedChecks' in happening ? happening.failedChecks : undefined;
      if (severity && !onlyMutedHooksFailed(canary, failedChecks)) {
        this.deps.alerts?.send(canary, {
          canary: name,
          namespace,
          phase,
          severity,
          reason: happening.reason,
          message: happening.message,
          time: now.toISOString(),
        });
      }
    }
  }

  /** Reports why the Canary cannot be worked on; a deleted one is let go. */
  private async block(canary: Canary, blocker: Blocker, deleting: boolean): Promise<void> {
    const status = withConditions(canary.status ?? {}, canary.metadata?.generation, blocker, this.now());
    const previous = canary.status?.conditions?.find((condition) => condition.type === 'Ready');
    if (await writeStatusIfChanged(this.deps.client, CANARIES, canary, status)) {
      this.staleGuard.wrote(keyOf(canary), canary);
      if (previous?.reason !== blocker.reason || previous?.message !== blocker.message) {
        await this.deps.events.record(canary, 'Warning', blocker.reason, blocker.message);
      }
    }
    if (deleting) await setFinalizer(this.deps.client, CANARIES, canary, CANARY_FINALIZER, false);
  }
}
