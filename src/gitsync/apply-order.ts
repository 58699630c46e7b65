// The order objects are applied in: by sync wave (annotation, lowest first), and inside a wave by
// kind, so that what others depend on exists first: CRDs and Namespaces, then identities and
// configuration, then the workloads that use them, then what routes to them.
import type { KubeObject } from '../kube/objects.ts';

export const SYNC_WAVE_ANNOTATIONS = ['wren.dev/sync-wave', 'argocd.argoproj.io/sync-wave'];

const KIND_ORDER = [
  'CustomResourceDefinition',
  'Namespace',
  'ResourceQuota',
  'LimitRange',
  'PriorityClass',
  'StorageClass',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

/** The object's wave; a value that is not an integer is reported by the caller, here it counts as 0. */
export function syncWave(object: KubeObject): number {
  for (const annotation of SYNC_WAVE_ANNOTATIONS) {
    const value = object.metadata?.annotations?.[annotation];
    if (value !== undefined && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  }
  return 0;
}

function kindRank(object: KubeObject): number {
  const index = KIND_ORDER.indexOf(object.kind ?? '');
  return index === -1 ? KIND_ORDER.length : index;
}

/** Groups that can be applied together, in the order they must be applied. */
export function applyPhases<T>(items: T[], objectOf: (item: T) => KubeObject): T[][] {
  const phases = new Map<string, T[]>();
  const sorted = [...items].sort((a, b) => syncWave(objectOf(a)) - syncWave(objectOf(b)) || kindRank(objectOf(a)) - kindRank(objectOf(b)));
  for (const item of sorted) {
    const object = objectOf(item);
    // CRDs and Namespaces form their own phase: what follows may need them to exist.
    const rank = kindRank(object);
    const phaseKey = `${syncWave(object)}:${rank <= 1 ? rank : 'rest'}`;
    const phase = phases.get(phaseKey) ?? [];
    phase.push(item);
    phases.set(phaseKey, phase);
  }
  return [...phases.values()];
}
