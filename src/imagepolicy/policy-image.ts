// Whether an image reference is a tag of the image an ImagePolicy governs, the registry's spellings of
// one repository counted as one (docker.io/library/nginx is nginx). Used to tie a canary's images to
// the policy that chose them: quarantine, and the release record of a run.
import { splitImage } from '../gitsync/render/image-reference.ts';
import { parseImageRepository, repositoryName } from './registry/image-repository.ts';

function sameRepository(a: string, b: string): boolean {
  try {
    return repositoryName(parseImageRepository(a)) === repositoryName(parseImageRepository(b));
  } catch {
    return false;
  }
}

/** The tag of `image` when it is a tag of the policy's image; undefined otherwise (or without a tag). */
export function tagOfPolicyImage(policyImage: string, image: string): string | undefined {
  const { name, tag } = splitImage(image);
  return tag !== '' && sameRepository(name, policyImage) ? tag : undefined;
}
