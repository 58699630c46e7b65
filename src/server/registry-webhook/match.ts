// Which ImagePolicies a pushed image concerns: the same registry and path, however Docker Hub is
// spelled, or the same path when the delivery names no host.
import { isDockerHub, parseImageRepository, type ImageRepository } from '../../imagepolicy/registry/image-repository.ts';
import type { PushedImage } from './pushed-images.ts';

export interface PolicySource {
  namespace: string;
  name: string;
  image: string;
}

const sameHost = (a: string, b: string) => a.toLowerCase() === b.toLowerCase() || (isDockerHub(a) && isDockerHub(b));

export function matchingPolicies(pushed: readonly PushedImage[], policies: readonly PolicySource[]): PolicySource[] {
  return policies.filter((policy) => {
    let repository: ImageRepository;
    try {
      repository = parseImageRepository(policy.image);
    } catch {
      return false; // an invalid spec.image is reported on the policy itself
    }
    return pushed.some(
      (image) => image.path === repository.path && (image.host === undefined || sameHost(image.host, repository.registry)),
    );
  });
}
