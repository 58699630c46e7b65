import type { CandidateTag } from './policy-spec.ts';

export interface RankedTag<Key> {
  tag: string;
  key: Key;
}

/**
 * The tag with the highest (or lowest) key. Equal keys (v1.2.3 and 1.2.3, two builds in the same
 * second, one timestamp extracted from two tags) fall back to comparing the tags themselves, so the
 * same tag list yields the same choice whatever order the registry listed it in.
 */
export function pickTag<Key>(
  ranked: RankedTag<Key>[],
  compareKeys: (a: Key, b: Key) => number,
  pick: 'highest' | 'lowest',
): string | undefined {
  const compare = (a: RankedTag<Key>, b: RankedTag<Key>) => compareKeys(a.key, b.key) || compareCodeUnits(a.tag, b.tag);
  let best: RankedTag<Key> | undefined;
  for (const entry of ranked) {
    if (!best) best = entry;
    else if (pick === 'highest' ? compare(entry, best) > 0 : compare(entry, best) < 0) best = entry;
  }
  return best?.tag;
}

// Plain code-unit order, like Go's sort.Strings that Flux uses. Not localeCompare: its order depends on
// the ICU data and locale of the process, and the choice of a version must not.
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How a skip reason names what was judged: the extracted value when there is one, else nothing (the tag is already named). */
export function judgedValue(candidate: CandidateTag): string {
  return candidate.value === candidate.tag ? '' : `extracted value "${candidate.value}" `;
}
