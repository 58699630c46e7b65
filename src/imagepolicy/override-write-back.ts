// The override write-back: the chosen version goes into the GitSync's spec.images, no commit. Each
// ImagePolicy applies its one entry under its own field manager; spec.images is a list keyed by name,
// so entries of users and of other policies are left as they are.
import type { GitSync } from '../api/git-sync.ts';
import type { ImagePolicy } from '../api/image-policy.ts';
import type { KubeClient } from '../kube/client.ts';
import { GIT_SYNCS } from '../kube/resource-types.ts';
import type { ImageVersion } from './write-back-decision.ts';

export function overrideFieldManager(policy: ImagePolicy): string {
  return `wren-imagepolicy-${policy.metadata?.name ?? ''}`.slice(0, 128);
}

/** The entry this policy owns in the GitSync's spec.images. */
export function imageOverrideEntry(
  policy: ImagePolicy,
  version: ImageVersion,
  pinDigest: boolean,
): NonNullable<GitSync['spec']['images']>[number] {
  return { name: policy.spec.image, newTag: version.tag, ...(pinDigest && version.digest ? { digest: version.digest } : {}) };
}

/** True when the GitSync already holds the entry (nothing to write). */
export function holdsOverride(sync: GitSync, entry: ReturnType<typeof imageOverrideEntry>): boolean {
  const current = sync.spec.images?.find((image) => image.name === entry.name);
  return !!current && current.newTag === entry.newTag && current.digest === entry.digest && current.newName === undefined;
}

export async function applyImageOverride(
  client: KubeClient,
  policy: ImagePolicy,
  sync: GitSync,
  entry: ReturnType<typeof imageOverrideEntry>,
): Promise<void> {
  await client.apply(
    GIT_SYNCS,
    {
      apiVersion: sync.apiVersion,
      kind: sync.kind,
      metadata: { name: sync.metadata?.name, namespace: sync.metadata?.namespace },
      spec: { images: [entry] },
    } as GitSync,
    { fieldManager: overrideFieldManager(policy), force: true },
  );
}
