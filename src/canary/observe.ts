// Gathers what the decision core needs from the watch caches: no API requests here.
import type { Canary } from '../api/canary.ts';
import type { TrafficRouter } from '../routing/router.ts';
import { key, type CanaryCaches } from '../workload/caches.ts';
import { primaryName } from '../workload/naming.ts';
import { REVISION_ANNOTATION } from '../workload/owner.ts';
import { deploymentReadiness } from '../workload/readiness.ts';
import { targetRevision } from '../workload/revision.ts';
import type { WorkloadApplier } from '../workload/workload-applier.ts';
import type { Deployment } from '../workload/workload-types.ts';
import type { Observations, WorkloadObservation } from './engine-types.ts';
import { releaseRecord, type PolicyView } from './release-record.ts';
import { parseRequest, REQUEST_ANNOTATION } from './requests.ts';

function workload(deployment: Deployment | undefined, thresholdPercent: number | undefined): WorkloadObservation {
  return {
    exists: deployment !== undefined,
    readiness: deploymentReadiness(deployment, thresholdPercent),
    replicas: deployment?.spec?.replicas ?? 0,
  };
}

function policiesIn(namespace: string | undefined, caches: CanaryCaches): PolicyView[] {
  return caches.imagePolicies
    .list()
    .filter((policy) => policy.metadata?.namespace === namespace && policy.spec?.gitSyncRef?.name)
    .map((policy) => ({
      name: policy.metadata?.name ?? '',
      image: policy.spec.image,
      gitSync: `${namespace}/${policy.spec.gitSyncRef.name}`,
    }));
}

export type BaseObservations = Omit<Observations, 'verdict' | 'gates'>;

export function observe(
  canary: Canary,
  target: Deployment,
  caches: CanaryCaches,
  workloads: WorkloadApplier,
  router: TrafficRouter,
): BaseObservations {
  const namespace = canary.metadata?.namespace;
  const primary = caches.deployments.get(key(namespace, primaryName(canary.spec.targetRef.name)));
  const trackedConfigs = workloads.trackedConfigs(canary, target);
  const request = parseRequest(canary.metadata?.annotations?.[REQUEST_ANNOTATION]);
  const primaryRevision = primary?.metadata?.annotations?.[REVISION_ANNOTATION];
  return {
    target: workload(target, canary.spec.analysis.canaryReadyThreshold),
    targetRevision: targetRevision(target.spec?.template, trackedConfigs),
    trackedConfigs,
    release: releaseRecord(target, primary, policiesIn(namespace, caches)),
    primary: {
      ...workload(primary, canary.spec.analysis.primaryReadyThreshold),
      ...(primaryRevision ? { revision: primaryRevision } : {}),
    },
    routes: router.getRoutes(canary),
    weightedRouting: router.weighted,
    ...(request ? { request } : {}),
    deleting: canary.metadata?.deletionTimestamp !== undefined,
  };
}
