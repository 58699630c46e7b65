import { compareDecimals, isDecimal } from './decimal.ts';
import type { CandidateTag, SkippedTag, TagOrder, VersionSelection } from './policy-spec.ts';
import { compareCodeUnits, judgedValue, pickTag, type RankedTag } from './ranking.ts';

// Flux semantics: the order names how the list is sorted and the last one wins,
// so asc picks the highest and desc the lowest.
function pickFor(order: TagOrder): 'highest' | 'lowest' {
  return order === 'desc' ? 'lowest' : 'highest';
}

/** The last value in (code-unit) alphabetical order for asc, the first for desc. */
export function selectAlphabetically(candidates: CandidateTag[], order: TagOrder = 'asc'): VersionSelection {
  const ranked = candidates.map(({ tag, value }) => ({ tag, key: value }));
  const chosen = pickTag(ranked, compareCodeUnits, pickFor(order));
  if (chosen === undefined) return { skipped: [], reason: 'no candidate tags to order alphabetically' };
  return { chosen: { tag: chosen }, skipped: [], reason: `${pickFor(order)} of ${ranked.length} tags alphabetically (${order})` };
}

/** The highest number for asc, the lowest for desc; values that are not integers or decimals are skipped. */
export function selectNumerically(candidates: CandidateTag[], order: TagOrder = 'asc'): VersionSelection {
  const ranked: RankedTag<string>[] = [];
  const skipped: SkippedTag[] = [];
  for (const candidate of candidates) {
    if (isDecimal(candidate.value)) ranked.push({ tag: candidate.tag, key: candidate.value });
    else skipped.push({ tag: candidate.tag, reason: `${judgedValue(candidate)}is not a number` });
  }
  const chosen = pickTag(ranked, compareDecimals, pickFor(order));
  if (chosen === undefined) return { skipped, reason: `no tag of ${candidates.length} is a number` };
  return { chosen: { tag: chosen }, skipped, reason: `${pickFor(order)} of ${ranked.length} numeric tags (${order})` };
}
