// The release record of a run: which GitSync and commit put the target's revision there, and which
// images the run ships against the ones the primary ran, with the ImagePolicy that chose each. Read
// from the target's annotations, the two pod templates and the ImagePolicies when a run starts; the
// GitSync, CI (`wren wait`) and image quarantine read it.
import type { CanaryStatusType } from '../api/canary.ts';
import { GIT_REVISION_ANNOTATION, GIT_SYNC_ANNOTATION } from '../api/canary-target.ts';
import { tagOfPolicyImage } from '../imagepolicy/policy-image.ts';
import type { Deployment } from '../workload/workload-types.ts';

export type ReleaseRecord = NonNullable<CanaryStatusType['release']>;

function imagesOf(deployment: Deployment | undefined): Map<string, string> {
  const containers = deployment?.spec?.template?.spec?.containers ?? [];
  return new Map(containers.flatMap((container): [string, string][] => (container.image ? [[container.name, container.image]] : [])));
}

/** An ImagePolicy as a release record needs it: its name, image and the GitSync it writes to. */
export interface PolicyView {
  name: string;
  image: string;
  /** namespace/name of spec.gitSyncRef. */
  gitSync: string;
}

export function releaseRecord(target: Deployment, primary: Deployment | undefined, policies: readonly PolicyView[] = []): ReleaseRecord {
  const annotations = target.metadata?.annotations ?? {};
  const gitSync = annotations[GIT_SYNC_ANNOTATION];
  const primaryImages = imagesOf(primary);
  const images = [...imagesOf(target)].map(([container, image]) => {
    const primaryImage = primaryImages.get(container);
    // The policy that chose an image this run changes: its GitSync applied the target, and the image is one of its tags.
    const policy =
      gitSync && image !== primaryImage
        ? policies.find((candidate) => candidate.gitSync === gitSync && tagOfPolicyImage(candidate.image, image) !== undefined)
        : undefined;
    return { container, image, ...(primaryImage ? { primaryImage } : {}), ...(policy ? { imagePolicy: policy.name } : {}) };
  });
  return {
    ...(gitSync ? { gitSync } : {}),
    ...(annotations[GIT_REVISION_ANNOTATION] ? { revision: annotations[GIT_REVISION_ANNOTATION] } : {}),
    ...(images.length > 0 ? { images } : {}),
  };
}
