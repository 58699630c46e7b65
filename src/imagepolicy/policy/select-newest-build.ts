import type { CandidateTag, SkippedTag, VersionSelection } from './policy-spec.ts';
import { pickTag, type RankedTag } from './ranking.ts';

/** The tag whose image config `created` is newest; tags the registry gave no date for are skipped. */
export function selectNewestBuild(candidates: CandidateTag[], created: Map<string, Date> = new Map()): VersionSelection {
  const ranked: RankedTag<number>[] = [];
  const skipped: SkippedTag[] = [];
  for (const { tag } of candidates) {
    const time = created.get(tag)?.getTime();
    // An image built without a `created` field, or with an unparseable one, cannot be ordered.
    if (time === undefined || Number.isNaN(time)) skipped.push({ tag, reason: 'has no image creation date' });
    else ranked.push({ tag, key: time });
  }
  const chosen = pickTag(ranked, (a, b) => a - b, 'highest');
  if (chosen === undefined) return { skipped, reason: `no tag of ${candidates.length} has an image creation date` };
  return { chosen: { tag: chosen }, skipped, reason: `newest build of ${ranked.length} tags with a creation date` };
}
