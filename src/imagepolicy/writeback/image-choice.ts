// What an ImagePolicy chose: the version to write into Git.
export interface ImageChoice {
  /** "namespace:name" of the ImagePolicy, as setter markers name it. */
  policy: string;
  /** The image without tag or digest, e.g. "127.0.0.1:5000/team/app". */
  repository: string;
  tag: string;
  /** "sha256:…" when the registry reported one. */
  digest?: string;
  /** Write the digest too, so the reference cannot move when someone re-pushes the tag. */
  pinDigest?: boolean;
}

/** repository:tag, or repository:tag@digest when the choice pins a known digest. */
export function fullReference(choice: ImageChoice): string {
  const tagged = `${choice.repository}:${choice.tag}`;
  return choice.pinDigest && choice.digest ? `${tagged}@${choice.digest}` : tagged;
}

/** Which part of a choice a place in a file holds. */
export type ImagePart = 'reference' | 'tag' | 'repository' | 'digest';

/** The part's value; undefined for the digest when the registry gave none. */
export function imagePart(choice: ImageChoice, part: ImagePart): string | undefined {
  switch (part) {
    case 'reference':
      return fullReference(choice);
    case 'tag':
      return choice.tag;
    case 'repository':
      return choice.repository;
    case 'digest':
      return choice.digest;
  }
}
