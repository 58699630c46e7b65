import type { ImagePolicy } from '../api/image-policy.ts';

/** The digest is part of the version for the digest policy (its tag never changes) and when writeBack.pinDigest is set. */
export function pinsDigest(policy: ImagePolicy): boolean {
  return Boolean(policy.spec.policy.digest) || policy.spec.writeBack?.pinDigest === true;
}
