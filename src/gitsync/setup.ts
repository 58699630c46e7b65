// Wires GitSync into the operator: its caches, the Git repositories, the render pipeline, the
// applier, and the controller, woken by GitSync changes, by changes to objects a GitSync applied,
// and by the GitSyncs a GitSync depends on becoming ready.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Canary } from '../api/canary.ts';
import type { GitSync } from '../api/git-sync.ts';
import type { KubeClient } from '../kube/client.ts';
import { Controller } from '../kube/controller.ts';
import { ApiResources } from '../kube/discovery.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { Informer } from '../kube/informer.ts';
import { keyOf, type KubeObject } from '../kube/objects.ts';
import { CANARIES, GIT_SYNCS, type ResourceType } from '../kube/resource-types.ts';
import type { Logger } from '../log.ts';
import type { OperatorMetrics } from '../server/metrics.ts';
import { DriftChecker } from './drift-check.ts';
import { HealBackoff } from './heal-backoff.ts';
import { LiveObjects } from './live-objects.ts';
import { ObjectApplier } from './object-applier.ts';
import { GitSyncMetrics } from './gitsync-metrics.ts';
import { GitSyncReconciler } from './reconciler.ts';
import { RenderPipeline } from './render-pipeline.ts';
import { GitRepositories } from './source/repositories.ts';
import { SyncInputReader } from './sync-inputs.ts';
import type { ToolPaths } from './tool-paths.ts';
import { trackedBy } from './tracking.ts';
import type { ScopeSettings } from './sync-scope.ts';
import { AccessReviews } from '../kube/access-review.ts';
import type { CanaryReverter } from './canary-reverter.ts';

export interface GitSyncSetupContext {
  client: KubeClient;
  events: EventRecorder;
  metrics: OperatorMetrics;
  log: Logger;
  workers: number;
  watchNamespace?: string;
  cacheDir: string;
  tools: ToolPaths;
  /** Tenancy: who GitSyncs act as, and where (see sync-scope.ts). */
  scope: ScopeSettings;
  informerFor<T extends KubeObject>(type: ResourceType): Informer<T>;
  /** Builds what writes the revert of a failed release in Git, sharing the Git caches. */
  reverterFor?: (repositories: GitRepositories) => CanaryReverter;
}

const DEPENDS_ON_INDEX = 'dependsOn';

export interface GitSyncParts {
  controller: Controller;
  gitSyncs: Informer<GitSync>;
  live: LiveObjects;
  /** The Git caches, shared with the image write-back. */
  repositories: GitRepositories;
}

export function createGitSyncController(context: GitSyncSetupContext): GitSyncParts {
  const gitSyncs = context.informerFor<GitSync>(GIT_SYNCS);
  const canaries = context.informerFor<Canary>(CANARIES);
  gitSyncs.addIndex(DEPENDS_ON_INDEX, (sync) =>
    (sync.spec?.dependsOn ?? []).map((dependency) => `${dependency.namespace ?? sync.metadata?.namespace}/${dependency.name}`),
  );
  mkdirSync(join(context.cacheDir, 'checkouts'), { recursive: true, mode: 0o700 });
  const log = context.log.child({ controller: 'GitSync' });
  const live = new LiveObjects(context.client, log, context.watchNamespace);
  live.adopt(canaries as unknown as Informer);
  const resources = new ApiResources(context.client);
  const repositories = new GitRepositories({ cacheDir: context.cacheDir, git: context.tools.git });
  const reconciler = new GitSyncReconciler({
    client: context.client,
    events: context.events,
    log,
    gitSyncs,
    canaries,
    repositories,
    pipeline: new RenderPipeline(repositories, context.tools, join(context.cacheDir, 'checkouts')),
    inputs: new SyncInputReader(context.client),
    resources,
    live,
    applier: new ObjectApplier(context.client, resources, live, new DriftChecker(), new HealBackoff()),
    scope: context.scope,
    access: new AccessReviews(context.client),
    ...(context.reverterFor ? { reverter: context.reverterFor(repositories) } : {}),
    metrics: new GitSyncMetrics(context.metrics.registry),
  });
  const controller = new Controller(reconciler, { workers: context.workers, metrics: context.metrics, log: context.log });
  controller.watch(gitSyncs, (sync) => [keyOf(sync), ...gitSyncs.byIndex(DEPENDS_ON_INDEX, keyOf(sync)).map(keyOf)]);
  live.onChange((object) => {
    const owner = trackedBy(object);
    if (owner) controller.enqueue(owner);
    // A Canary's run of a revision a GitSync applied wakes that GitSync, which follows the release.
    const releasedBy = object.kind === 'Canary' ? (object as Canary).status?.release?.gitSync : undefined;
    if (releasedBy && releasedBy !== owner) controller.enqueue(releasedBy);
  });
  return { controller, gitSyncs, live, repositories };
}
