// The seam between Git and the canary engine. Once a Canary has taken over its target Deployment, the
// engine owns the target's replicas (it scales the target to zero between releases) and Git's
// replicas reach the -primary through an annotation on the target; objects a Canary
// controls (its -primary copies, generated Services, routes it adopted) belong to it entirely. The
// sync loop never applies, and never reports as drift, anything on this side of the seam.
import type { Canary } from '../api/canary.ts';
import type { KubeObject } from '../kube/objects.ts';
import { PRIMARY_REPLICAS_ANNOTATION } from '../api/canary-target.ts';

export interface CanaryTargets {
  /** namespace/name of every Deployment a Canary targets (in the cluster or in the same sync). */
  targeted: Set<string>;
  /** The subset whose Canary has initialized, i.e. already scaled the target itself. */
  takenOver: Set<string>;
  /** Targets whose Canary clones an autoscaler for the primary: namespace/name → the HPA's name. */
  autoscaled: Map<string, string>;
}

const NOT_TAKEN_OVER = new Set(['', 'Initializing', undefined]);

export function canaryTargets(canaries: Canary[]): CanaryTargets {
  const targeted = new Set<string>();
  const takenOver = new Set<string>();
  const autoscaled = new Map<string, string>();
  for (const canary of canaries) {
    const target = canary.spec?.targetRef;
    if (!target || (target.kind && target.kind !== 'Deployment')) continue;
    const key = `${canary.metadata?.namespace}/${target.name}`;
    targeted.add(key);
    if (!NOT_TAKEN_OVER.has(canary.status?.phase)) takenOver.add(key);
    if (canary.spec.autoscalerRef) autoscaled.set(key, canary.spec.autoscalerRef.name);
  }
  return { targeted, takenOver, autoscaled };
}

const isDeployment = (object: KubeObject) => object.kind === 'Deployment' && (object.apiVersion ?? '').startsWith('apps/');
const nsName = (object: KubeObject) => `${object.metadata?.namespace}/${object.metadata?.name}`;

/** True for objects a Canary controls: the sync loop leaves them to the engine. */
export function isControlledByCanary(live: KubeObject | undefined): boolean {
  return (live?.metadata?.ownerReferences ?? []).some(
    (owner) => owner.controller && owner.kind === 'Canary' && owner.apiVersion.startsWith('wren.dev/'),
  );
}

/**
 * A targeted Deployment as Git's side of the seam sees it: spec.replicas leave the spec (the engine
 * scales the target) and travel as the primary-replicas annotation, which the engine gives to the
 * -primary. A change of replicas in Git is thus still a change Git applies, and never drift.
 */
function replicasHandedOver(object: KubeObject): KubeObject {
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec || !('replicas' in spec)) return object;
  const { replicas, ...rest } = spec;
  const annotations = { ...(object.metadata?.annotations ?? {}), [PRIMARY_REPLICAS_ANNOTATION]: String(replicas) };
  return { ...object, metadata: { ...object.metadata, annotations }, spec: rest };
}

/** What Git owns of the object, used for its hash and for drift: never the fields a Canary may own. */
export function gitOwnedView(object: KubeObject, targets: CanaryTargets): KubeObject {
  return isDeployment(object) && targets.targeted.has(nsName(object)) ? replicasHandedOver(object) : object;
}

/**
 * What to send. Git's replicas also go out in spec until the Canary has taken the target over: the
 * engine copies them to the -primary on initialization, and only after that scales the target itself.
 */
export function applyView(object: KubeObject, targets: CanaryTargets): KubeObject {
  if (!isDeployment(object) || !targets.targeted.has(nsName(object))) return object;
  const handed = replicasHandedOver(object);
  if (targets.takenOver.has(nsName(object)) || handed === object) return handed;
  return { ...handed, spec: { ...(handed.spec as object), replicas: (object.spec as { replicas?: unknown }).replicas } };
}

/** Git's replicas for a Deployment whose Canary has taken it over, and where they go: recorded in the GitSync's status. */
export interface ReplicasHandedToCanary {
  name: string;
  namespace?: string;
  replicas: number;
  /** The Deployment that runs them, or why none does (an autoscaler owns the primary's replicas). */
  primary?: string;
  ignoredBecause?: string;
}

export function replicasHandedToCanary(object: KubeObject, targets: CanaryTargets): ReplicasHandedToCanary | undefined {
  const key = nsName(object);
  if (!isDeployment(object) || !targets.takenOver.has(key)) return undefined;
  const replicas = (object.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number') return undefined;
  const name = object.metadata?.name ?? '';
  const autoscaler = targets.autoscaled.get(key);
  return {
    name,
    ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
    replicas,
    ...(autoscaler
      ? { ignoredBecause: `HorizontalPodAutoscaler ${autoscaler} owns the primary's replicas` }
      : { primary: `${name}-primary` }),
  };
}
