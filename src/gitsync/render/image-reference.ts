// Container image references split the way kustomize's `images` transformer splits them, so an
// override written for kustomize means the same thing here.
import type { GitSync } from '../../api/git-sync.ts';

export type ImageOverride = NonNullable<GitSync['spec']['images']>[number];

export interface ImageReference {
  /** Everything before the tag and digest, registry host and port included. */
  name: string;
  tag: string;
  digest: string;
}

export function splitImage(image: string): ImageReference {
  const at = image.indexOf('@');
  const beforeDigest = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : '';
  // A colon before the last "/" is a registry port (localhost:5000/app), never a tag.
  const colon = beforeDigest.lastIndexOf(':');
  if (colon < 0 || colon < beforeDigest.lastIndexOf('/')) return { name: beforeDigest, tag: '', digest };
  return { name: beforeDigest.slice(0, colon), tag: beforeDigest.slice(colon + 1), digest };
}

export function joinImage({ name, tag, digest }: ImageReference): string {
  return `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

/** The image with one override applied, or unchanged when the override is for another image. */
export function overrideImage(image: string, override: ImageOverride): string {
  const reference = splitImage(image);
  if (reference.name !== override.name) return image;
  const name = override.newName || reference.name;
  // As in kustomize: a new tag or digest replaces both the old tag and the old digest.
  if (override.newTag && override.digest) return joinImage({ name, tag: override.newTag, digest: override.digest });
  if (override.newTag) return joinImage({ name, tag: override.newTag, digest: '' });
  if (override.digest) return joinImage({ name, tag: '', digest: override.digest });
  return joinImage({ ...reference, name });
}
