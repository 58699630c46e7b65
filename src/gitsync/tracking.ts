// How Wren marks the objects a GitSync applied: an annotation naming the GitSync (so a change to the
// object wakes that GitSync, and prune only ever deletes objects that carry it) and the hash of what
// Git asked for (so an unchanged object costs no write).
import { APPLIED_HASH_ANNOTATION } from '../kube/apply-if-changed.ts';
import { contentHash } from '../kube/content-hash.ts';
import type { KubeObject } from '../kube/objects.ts';

export const TRACKING_ANNOTATION = 'wren.dev/gitsync';

export const trackingValue = (namespace: string, name: string) => `${namespace}/${name}`;

export function trackedBy(object: KubeObject | undefined): string | undefined {
  return object?.metadata?.annotations?.[TRACKING_ANNOTATION];
}

export function appliedHashOf(object: KubeObject | undefined): string | undefined {
  return object?.metadata?.annotations?.[APPLIED_HASH_ANNOTATION];
}

/** The object as sent: Git's content plus the tracking and hash annotations. */
export function withTracking(object: KubeObject, tracking: string, hash: string): KubeObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      annotations: { ...(object.metadata?.annotations ?? {}), [TRACKING_ANNOTATION]: tracking, [APPLIED_HASH_ANNOTATION]: hash },
    },
  };
}

export const desiredHash = (object: KubeObject) => contentHash(object);
