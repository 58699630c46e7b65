// Wires ImagePolicy into the operator: its cache, the registry clients, the git write-back (sharing
// the GitSync's repository settings) and the controller, woken by ImagePolicy changes and by Canaries
// that failed a release of the policy's GitSync (quarantine); a missing GitSync is looked for again
// at the next scan.
import { join } from 'node:path';
import type { Canary } from '../api/canary.ts';
import type { GitSync } from '../api/git-sync.ts';
import type { ImagePolicy } from '../api/image-policy.ts';
import type { GitRepositories } from '../gitsync/source/repositories.ts';
import type { KubeClient } from '../kube/client.ts';
import { Controller } from '../kube/controller.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { Informer } from '../kube/informer.ts';
import type { KubeObject } from '../kube/objects.ts';
import { CANARIES, IMAGE_POLICIES, type ResourceType } from '../kube/resource-types.ts';
import type { Logger } from '../log.ts';
import type { OperatorMetrics } from '../server/metrics.ts';
import { GitFileWriteBack } from './git-file-write-back.ts';
import { GitWriteBack } from './git-write-back.ts';
import { indexForQuarantine, policiesConcernedBy } from './quarantine-watch.ts';
import { ImagePolicyMetrics } from './image-policy-metrics.ts';
import { ImagePolicyReconciler } from './reconciler.ts';
import { RegistryAccess } from './registry-access.ts';
import { RegistryScanner } from './registry-scan.ts';

export interface ImagePolicySetupContext {
  client: KubeClient;
  events: EventRecorder;
  metrics: OperatorMetrics;
  log: Logger;
  workers: number;
  cacheDir: string;
  git: string;
  gitSyncs: Informer<GitSync>;
  repositories: GitRepositories;
  informerFor<T extends KubeObject>(type: ResourceType): Informer<T>;
}

export interface ImagePolicyParts {
  controller: Controller;
  policies: Informer<ImagePolicy>;
}

export function createImagePolicyController(context: ImagePolicySetupContext): ImagePolicyParts {
  const policies = context.informerFor<ImagePolicy>(IMAGE_POLICIES);
  const canaries = context.informerFor<Canary>(CANARIES);
  indexForQuarantine(canaries, policies);
  const reconciler = new ImagePolicyReconciler({
    client: context.client,
    events: context.events,
    log: context.log.child({ controller: 'ImagePolicy' }),
    policies,
    gitSyncs: context.gitSyncs,
    canaries,
    registries: new RegistryAccess(context.client),
    scanner: new RegistryScanner(),
    gitWriteBack: new GitFileWriteBack(
      context.client,
      context.repositories,
      new GitWriteBack({ cacheDir: join(context.cacheDir, 'image-write-back'), git: context.git }),
    ),
    metrics: new ImagePolicyMetrics(context.metrics.registry),
  });
  const controller = new Controller(reconciler, { workers: context.workers, metrics: context.metrics, log: context.log });
  controller.watch(policies);
  controller.watch(canaries, policiesConcernedBy(policies));
  return { controller, policies };
}
