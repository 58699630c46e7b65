// One identity for an object across Git, the cluster and the inventory: group, kind, namespace, name.
// The version is left out on purpose: apps/v1 and a later apps/v2 Deployment are the same object.
import type { KubeObject } from '../kube/objects.ts';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

export function refKey(ref: ObjectRef): string {
  return `${groupOf(ref.apiVersion)}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

export function refOf(object: KubeObject): ObjectRef {
  const namespace = object.metadata?.namespace;
  return {
    apiVersion: object.apiVersion ?? '',
    kind: object.kind ?? '',
    name: object.metadata?.name ?? '',
    ...(namespace ? { namespace } : {}),
  };
}

export const objectKey = (object: KubeObject) => refKey(refOf(object));

/** "Deployment apps/podinfo" as status and events print it. */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}
