// A revision names what a release would ship: the target's pod template plus the content of the
// configs it tracks. Equal revisions mean nothing to release.
import { contentHash } from '../kube/content-hash.ts';
import type { PodTemplate } from './workload-types.ts';

export function targetRevision(template: PodTemplate | undefined, trackedConfigs: Record<string, string>): string {
  return contentHash({ template: template ?? {}, configs: trackedConfigs });
}
