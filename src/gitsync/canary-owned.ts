// The seam between Git and the canary engine. Once a Canary has taken over its target Deployment, the
// engine owns the target's replicas (it scales the target to zero between releases); objects a Canary
// controls (its -primary copies, generated Services, routes it adopted) belong to it entirely. The
// sync loop never applies, and never reports as drift, anything on this side of the seam.
import type { Canary } from '../api/canary.ts';
import type { KubeObject } from '../kube/objects.ts';

export interface CanaryTargets {
  /** namespace/name of every Deployment a Canary targets (in the cluster or in the same sync). */
  targeted: Set<string>;
  /** The subset whose Canary has initialized, i.e. already scaled the target itself. */
  takenOver: Set<string>;
}

const NOT_TAKEN_OVER = new Set(['', 'Initializing', undefined]);

export function canaryTargets(canaries: Canary[]): CanaryTargets {
  const targeted = new Set<string>();
  const takenOver = new Set<string>();
  for (const canary of canaries) {
    const target = canary.spec?.targetRef;
    if (!target || (target.kind && target.kind !== 'Deployment')) continue;
    const key = `${canary.metadata?.namespace}/${target.name}`;
    targeted.add(key);
    if (!NOT_TAKEN_OVER.has(canary.status?.phase)) takenOver.add(key);
  }
  return { targeted, takenOver };
}

const isDeployment = (object: KubeObject) => object.kind === 'Deployment' && (object.apiVersion ?? '').startsWith('apps/');
const nsName = (object: KubeObject) => `${object.metadata?.namespace}/${object.metadata?.name}`;

/** True for objects a Canary controls: the sync loop leaves them to the engine. */
export function isControlledByCanary(live: KubeObject | undefined): boolean {
  return (live?.metadata?.ownerReferences ?? []).some(
    (owner) => owner.controller && owner.kind === 'Canary' && owner.apiVersion.startsWith('wren.dev/'),
  );
}

function withoutReplicas(object: KubeObject): KubeObject {
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec || !('replicas' in spec)) return object;
  const { replicas: _ownedByCanary, ...rest } = spec;
  return { ...object, spec: rest };
}

/** What Git owns of the object, used for its hash and for drift: never the fields a Canary may own. */
export function gitOwnedView(object: KubeObject, targets: CanaryTargets): KubeObject {
  return isDeployment(object) && targets.targeted.has(nsName(object)) ? withoutReplicas(object) : object;
}

/**
 * What to send. Git's replicas go out until the Canary has taken the target over: the engine copies
 * them to the -primary on initialization, and only after that scales the target itself.
 */
export function applyView(object: KubeObject, targets: CanaryTargets): KubeObject {
  return isDeployment(object) && targets.takenOver.has(nsName(object)) ? withoutReplicas(object) : object;
}
