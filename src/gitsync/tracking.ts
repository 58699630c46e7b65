// How Wren marks the objects a GitSync applied: an annotation naming the GitSync (so a change to the
// object wakes that GitSync, and prune only ever deletes objects that carry it) and the hash of what
// Git asked for (so an unchanged object costs no write), and the commit whose content it holds (so
// a Canary can say which commit started its run). The commit travels only when the content changes:
// a commit that leaves an object alone writes nothing to it.
import { GIT_REVISION_ANNOTATION, GIT_SYNC_ANNOTATION } from '../api/canary-target.ts';
import { APPLIED_HASH_ANNOTATION } from '../kube/apply-if-changed.ts';
import { contentHash } from '../kube/content-hash.ts';
import type { KubeObject } from '../kube/objects.ts';

export const TRACKING_ANNOTATION = GIT_SYNC_ANNOTATION;

export const trackingValue = (namespace: string, name: string) => `${namespace}/${name}`;

export function trackedBy(object: KubeObject | undefined): string | undefined {
  return object?.metadata?.annotations?.[TRACKING_ANNOTATION];
}

export function appliedHashOf(object: KubeObject | undefined): string | undefined {
  return object?.metadata?.annotations?.[APPLIED_HASH_ANNOTATION];
}

export function gitRevisionOf(object: KubeObject | undefined): string | undefined {
  return object?.metadata?.annotations?.[GIT_REVISION_ANNOTATION];
}

/** The object as sent: Git's content plus the tracking, hash and revision annotations. */
export function withTracking(object: KubeObject, tracking: string, hash: string, revision: string): KubeObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      annotations: {
        ...(object.metadata?.annotations ?? {}),
        [TRACKING_ANNOTATION]: tracking,
        [APPLIED_HASH_ANNOTATION]: hash,
        [GIT_REVISION_ANNOTATION]: revision,
      },
    },
  };
}

export const desiredHash = (object: KubeObject) => contentHash(object);
