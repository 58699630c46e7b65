// Writes a generated object only when what Wren wants of it changed. The hash of the desired object
// is stored on it; equal hash in the cache means the API server already has exactly this, so the
// common case (nothing changed) costs no request at all. Right after a write the cache still shows
// the old object for a moment; RecentApplies remembers the write so that moment does not cause a
// second, identical one.
import { contentHash } from './content-hash.ts';
import type { KubeClient } from './client.ts';
import { keyOf, type KubeObject } from './objects.ts';
import type { ResourceType } from './resource-types.ts';

export const APPLIED_HASH_ANNOTATION = 'wren.dev/applied-hash';

export function withAppliedHash<T extends KubeObject>(desired: T): T {
  const hash = contentHash(desired);
  return {
    ...desired,
    metadata: { ...desired.metadata, annotations: { ...(desired.metadata?.annotations ?? {}), [APPLIED_HASH_ANNOTATION]: hash } },
  };
}

const hashOf = (object: KubeObject | undefined) => object?.metadata?.annotations?.[APPLIED_HASH_ANNOTATION];

export function isUpToDate(observed: KubeObject | undefined, desired: KubeObject): boolean {
  return hashOf(observed) === contentHash(desired);
}

/** Writes not yet visible in the watch cache, by object: the version they replaced and what they wrote. */
export class RecentApplies {
  private readonly writes = new Map<string, { replacedVersion: string | undefined; hash: string }>();

  record(key: string, observed: KubeObject | undefined, hash: string): void {
    this.writes.set(key, { replacedVersion: observed?.metadata?.resourceVersion, hash });
  }

  /** True when the cache still shows what our last write replaced, and that write wrote `hash`. */
  covers(key: string, observed: KubeObject | undefined, hash: string): boolean {
    const write = this.writes.get(key);
    if (!write) return false;
    if (write.replacedVersion === observed?.metadata?.resourceVersion) return write.hash === hash;
    this.writes.delete(key);
    return false;
  }
}

/** Applies `desired` (server-side apply, field manager wren) unless the cluster already has it. */
export async function applyIfChanged<T extends KubeObject>(
  client: KubeClient,
  type: ResourceType,
  desired: T,
  observed: KubeObject | undefined,
  recent?: RecentApplies,
): Promise<boolean> {
  const hash = contentHash(desired);
  if (hashOf(observed) === hash) return false;
  const key = `${type.plural}/${keyOf(desired)}`;
  if (recent?.covers(key, observed, hash)) return false;
  await client.apply(type, withAppliedHash(desired));
  recent?.record(key, observed, hash);
  return true;
}
