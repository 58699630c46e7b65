// Health of the applied objects, assessed per kind from their live state, and of the whole GitSync
// as the worst of them. Kinds without a rule are healthy once they exist.
import type { KubeObject } from '../kube/objects.ts';

export type Health = 'Healthy' | 'Suspended' | 'Unknown' | 'Progressing' | 'Missing' | 'Degraded';
export interface HealthVerdict {
  health: Health;
  message?: string;
}

const SEVERITY: Health[] = ['Healthy', 'Suspended', 'Unknown', 'Progressing', 'Missing', 'Degraded'];

type Live = KubeObject & { spec?: Record<string, any>; status?: Record<string, any> };
type Condition = { type?: string; status?: string; reason?: string; message?: string };

const conditionOf = (object: Live, type: string): Condition | undefined =>
  ((object.status?.conditions ?? []) as Condition[]).find((condition) => condition.type === type);

const healthy: HealthVerdict = { health: 'Healthy' };
const progressing = (message: string): HealthVerdict => ({ health: 'Progressing', message });

function generationObserved(object: Live): boolean {
  const observed = object.status?.observedGeneration;
  return observed === undefined || observed >= (object.metadata?.generation ?? 0);
}

function deploymentHealth(object: Live): HealthVerdict {
  if (object.spec?.paused) return { health: 'Suspended', message: 'rollout paused' };
  if (!generationObserved(object)) return progressing('waiting for the controller to observe the new spec');
  const progress = conditionOf(object, 'Progressing');
  if (progress?.reason === 'ProgressDeadlineExceeded')
    return { health: 'Degraded', message: progress.message ?? 'progress deadline exceeded' };
  const wanted = object.spec?.replicas ?? 1;
  const { updatedReplicas = 0, availableReplicas = 0, replicas = 0 } = object.status ?? {};
  if (updatedReplicas < wanted) return progressing(`${updatedReplicas} of ${wanted} replicas updated`);
  if (replicas > updatedReplicas) return progressing(`${replicas - updatedReplicas} old replicas pending termination`);
  if (availableReplicas < updatedReplicas) return progressing(`${availableReplicas} of ${updatedReplicas} updated replicas available`);
  return healthy;
}

function statefulSetHealth(object: Live): HealthVerdict {
  if (!generationObserved(object)) return progressing('waiting for the controller to observe the new spec');
  const wanted = object.spec?.replicas ?? 1;
  const { readyReplicas = 0, updatedReplicas = 0, currentRevision, updateRevision } = object.status ?? {};
  if (object.spec?.updateStrategy?.type !== 'OnDelete' && updatedReplicas < wanted)
    return progressing(`${updatedReplicas} of ${wanted} replicas updated`);
  if (readyReplicas < wanted) return progressing(`${readyReplicas} of ${wanted} replicas ready`);
  if (updateRevision && currentRevision !== updateRevision && object.spec?.updateStrategy?.type !== 'OnDelete')
    return progressing('rolling out');
  return healthy;
}

function daemonSetHealth(object: Live): HealthVerdict {
  if (!generationObserved(object)) return progressing('waiting for the controller to observe the new spec');
  const { desiredNumberScheduled = 0, updatedNumberScheduled = 0, numberAvailable = 0 } = object.status ?? {};
  if (updatedNumberScheduled < desiredNumberScheduled)
    return progressing(`${updatedNumberScheduled} of ${desiredNumberScheduled} pods updated`);
  if (numberAvailable < desiredNumberScheduled) return progressing(`${numberAvailable} of ${desiredNumberScheduled} pods available`);
  return healthy;
}

function replicaSetHealth(object: Live): HealthVerdict {
  if (!generationObserved(object)) return progressing('waiting for the controller to observe the new spec');
  const wanted = object.spec?.replicas ?? 1;
  const available = object.status?.availableReplicas ?? 0;
  return available < wanted ? progressing(`${available} of ${wanted} replicas available`) : healthy;
}

function loadBalancerHealth(object: Live): HealthVerdict {
  const ingress = object.status?.loadBalancer?.ingress as unknown[] | undefined;
  return ingress && ingress.length > 0 ? healthy : progressing('waiting for a load balancer address');
}

function jobHealth(object: Live): HealthVerdict {
  if (object.spec?.suspend) return { health: 'Suspended', message: 'job suspended' };
  if (conditionOf(object, 'Failed')?.status === 'True')
    return { health: 'Degraded', message: conditionOf(object, 'Failed')?.message ?? 'job failed' };
  if (conditionOf(object, 'Complete')?.status === 'True') return healthy;
  return progressing('job running');
}

function podHealth(object: Live): HealthVerdict {
  switch (object.status?.phase) {
    case 'Succeeded':
      return healthy;
    case 'Failed':
      return { health: 'Degraded', message: object.status?.message ?? 'pod failed' };
    case 'Running':
      return conditionOf(object, 'Ready')?.status === 'True' ? healthy : progressing('pod not ready');
    default:
      return progressing('pod pending');
  }
}

const CANARY_HEALTHY = new Set(['Initialized', 'Succeeded']);

function canaryHealth(object: Live): HealthVerdict {
  if (object.spec?.suspend) return { health: 'Suspended', message: 'canary suspended' };
  const ready = conditionOf(object, 'Ready');
  if (ready?.status === 'False' && ready.reason === 'InvalidSpec') return { health: 'Degraded', message: ready.message ?? 'invalid spec' };
  const phase = object.status?.phase as string | undefined;
  if (phase === 'Failed') return { health: 'Degraded', message: `canary failed: ${ready?.message ?? 'rolled back'}` };
  if (phase && CANARY_HEALTHY.has(phase)) return healthy;
  return progressing(`canary ${phase || 'not initialized yet'}`);
}

function gitSyncHealth(object: Live): HealthVerdict {
  const ready = conditionOf(object, 'Ready');
  if (ready?.status === 'False' && ready.reason === 'Suspended') return { health: 'Suspended', message: 'sync suspended' };
  if (ready?.status === 'False' && ready.reason === 'DependencyNotReady') return progressing(ready.message ?? 'waiting for a dependency');
  if (ready?.status === 'False') return { health: 'Degraded', message: ready.message ?? 'not ready' };
  const nested = object.status?.health as Health | undefined;
  return nested && SEVERITY.includes(nested) ? { health: nested } : progressing('not synced yet');
}

const RULES: Record<string, (object: Live) => HealthVerdict> = {
  Deployment: deploymentHealth,
  StatefulSet: statefulSetHealth,
  DaemonSet: daemonSetHealth,
  ReplicaSet: replicaSetHealth,
  Ingress: loadBalancerHealth,
  Job: jobHealth,
  Pod: podHealth,
  Canary: canaryHealth,
  GitSync: gitSyncHealth,
  CronJob: (object) => (object.spec?.suspend ? { health: 'Suspended', message: 'cron job suspended' } : healthy),
  Service: (object) => (object.spec?.type === 'LoadBalancer' ? loadBalancerHealth(object) : healthy),
  PersistentVolumeClaim: (object) =>
    object.status?.phase === 'Bound'
      ? healthy
      : object.status?.phase === 'Lost'
        ? { health: 'Degraded', message: 'claim lost its volume' }
        : progressing('claim not bound'),
};

export function objectHealth(live: KubeObject | undefined): HealthVerdict {
  if (!live) return { health: 'Missing', message: 'not found in the cluster' };
  const rule = RULES[live.kind ?? ''];
  return rule ? rule(live as Live) : healthy;
}

/** The worst health of all objects, with the message of the first object that has it. */
export function overallHealth(verdicts: { name: string; verdict: HealthVerdict }[]): HealthVerdict {
  let worst: HealthVerdict = healthy;
  for (const { name, verdict } of verdicts) {
    if (SEVERITY.indexOf(verdict.health) > SEVERITY.indexOf(worst.health)) {
      worst = { health: verdict.health, message: `${name}: ${verdict.message ?? verdict.health}` };
    }
  }
  return worst;
}
