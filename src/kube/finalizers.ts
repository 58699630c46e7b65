// Adds or removes one finalizer. The patch carries the resourceVersion it was computed from, so a
// concurrent change to the list makes it fail (409) and retry instead of dropping someone's entry.
import type { KubeClient } from './client.ts';
import type { KubeObject } from './objects.ts';
import type { ResourceType } from './resource-types.ts';

export const hasFinalizer = (object: KubeObject, finalizer: string) => object.metadata?.finalizers?.includes(finalizer) ?? false;

export async function setFinalizer(
  client: KubeClient,
  type: ResourceType,
  object: KubeObject,
  finalizer: string,
  present: boolean,
): Promise<void> {
  if (hasFinalizer(object, finalizer) === present) return;
  const current = object.metadata?.finalizers ?? [];
  const finalizers = present ? [...current, finalizer] : current.filter((entry) => entry !== finalizer);
  await client.mergePatch(type, object.metadata?.namespace, object.metadata?.name ?? '', {
    metadata: { finalizers, resourceVersion: object.metadata?.resourceVersion },
  });
}
