// What the render step hands to the rest of the sync: each object with the file it came from, so
// every later error (decryption, substitution, dry-run) can name the file and the object.
import type { KubeObject } from '../kube/objects.ts';

export interface RenderedObject {
  object: KubeObject;
  /** Path relative to the repository root, or a description such as "helm template charts/app". */
  source: string;
}

/** "Kind namespace/name" (or "Kind name" for cluster-scoped), as users read it in status and events. */
export function describeObject(object: KubeObject): string {
  const namespace = object.metadata?.namespace;
  return `${object.kind ?? '?'} ${namespace ? `${namespace}/` : ''}${object.metadata?.name ?? '?'}`;
}
