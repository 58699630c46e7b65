// spec.targetNamespace: namespaced objects that name no namespace get this one; objects that name
// their own keep it, and cluster-scoped objects never get one (the API server would refuse them).
import type { KubeObject } from '../../kube/objects.ts';
import type { RenderedObject } from '../rendered-object.ts';
import { groupOf, isKnownClusterScoped } from './cluster-scoped-kinds.ts';

/** true/false when the caller knows (from discovery), undefined to fall back to what Wren knows. */
export type NamespacedKinds = (apiVersion: string, kind: string) => boolean | undefined;

interface CrdScope {
  group: string;
  kind: string;
  namespaced: boolean;
}

// A custom resource whose CRD arrives in the same revision is not in discovery yet; its CRD says.
function crdScopes(objects: RenderedObject[]): CrdScope[] {
  return objects
    .map(({ object }) => object)
    .filter((object) => object.kind === 'CustomResourceDefinition')
    .map((crd) => {
      const spec = (crd.spec ?? {}) as { group?: string; names?: { kind?: string }; scope?: string };
      return { group: spec.group ?? '', kind: spec.names?.kind ?? '', namespaced: spec.scope !== 'Cluster' };
    });
}

export function applyTargetNamespace(objects: RenderedObject[], namespace: string, namespacedKinds?: NamespacedKinds): RenderedObject[] {
  if (!namespace) return objects;
  const crds = crdScopes(objects);
  const isNamespaced = (object: KubeObject): boolean => {
    const apiVersion = object.apiVersion ?? '';
    const kind = object.kind ?? '';
    const known = namespacedKinds?.(apiVersion, kind);
    if (known !== undefined) return known;
    const crd = crds.find((scope) => scope.group === groupOf(apiVersion) && scope.kind === kind);
    return crd ? crd.namespaced : !isKnownClusterScoped(apiVersion, kind);
  };
  return objects.map((rendered) => {
    const { object } = rendered;
    if (object.metadata?.namespace || !isNamespaced(object)) return rendered;
    return { ...rendered, object: { ...object, metadata: { ...object.metadata, namespace } } };
  });
}
