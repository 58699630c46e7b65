// Writes a generated object only when what Wren wants of it changed. The hash of the desired object
// is stored on it; equal hash in the cache means the API server already has exactly this, so the
// common case (nothing changed) costs no request at all.
import { contentHash } from './content-hash.ts';
import type { KubeClient } from './client.ts';
import type { KubeObject } from './objects.ts';
import type { ResourceType } from './resource-types.ts';

export const APPLIED_HASH_ANNOTATION = 'wren.dev/applied-hash';

export function withAppliedHash<T extends KubeObject>(desired: T): T {
  const hash = contentHash(desired);
  return {
    ...desired,
    metadata: { ...desired.metadata, annotations: { ...(desired.metadata?.annotations ?? {}), [APPLIED_HASH_ANNOTATION]: hash } },
  };
}

export function isUpToDate(observed: KubeObject | undefined, desired: KubeObject): boolean {
  const want = withAppliedHash(desired).metadata?.annotations?.[APPLIED_HASH_ANNOTATION];
  return observed?.metadata?.annotations?.[APPLIED_HASH_ANNOTATION] === want;
}

/** Applies `desired` (server-side apply, field manager wren) unless `observed` already carries it. */
export async function applyIfChanged<T extends KubeObject>(
  client: KubeClient,
  type: ResourceType,
  desired: T,
  observed: KubeObject | undefined,
): Promise<boolean> {
  if (isUpToDate(observed, desired)) return false;
  await client.apply(type, withAppliedHash(desired));
  return true;
}
