// The release record of a run: which GitSync and commit put the target's revision there, and which
// images the run ships against the ones the primary ran. Read from the target's annotations and the
// two pod templates when a run starts; the GitSync, CI (`wren wait`) and image quarantine read it.
import type { CanaryStatusType } from '../api/canary.ts';
import { GIT_REVISION_ANNOTATION, GIT_SYNC_ANNOTATION } from '../api/canary-target.ts';
import type { Deployment } from '../workload/workload-types.ts';

export type ReleaseRecord = NonNullable<CanaryStatusType['release']>;

function imagesOf(deployment: Deployment | undefined): Map<string, string> {
  const containers = deployment?.spec?.template?.spec?.containers ?? [];
  return new Map(containers.flatMap((container): [string, string][] => (container.image ? [[container.name, container.image]] : [])));
}

export function releaseRecord(target: Deployment, primary: Deployment | undefined): ReleaseRecord {
  const annotations = target.metadata?.annotations ?? {};
  const primaryImages = imagesOf(primary);
  const images = [...imagesOf(target)].map(([container, image]) => {
    const primaryImage = primaryImages.get(container);
    return { container, image, ...(primaryImage ? { primaryImage } : {}) };
  });
  return {
    ...(annotations[GIT_SYNC_ANNOTATION] ? { gitSync: annotations[GIT_SYNC_ANNOTATION] } : {}),
    ...(annotations[GIT_REVISION_ANNOTATION] ? { revision: annotations[GIT_REVISION_ANNOTATION] } : {}),
    ...(images.length > 0 ? { images } : {}),
  };
}
