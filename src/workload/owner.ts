import type { KubeObject, OwnerReference } from '../kube/objects.ts';

/** Marks a generated object as the Canary's, so it is garbage-collected with it. */
export function controllerReference(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? '',
    kind: owner.kind ?? '',
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'wren';
export const REVISION_ANNOTATION = 'wren.dev/revision';
