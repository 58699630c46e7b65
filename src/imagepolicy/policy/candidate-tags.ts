import { expandTemplate } from './extract-template.ts';
import { matchesGlob } from './glob.ts';
import type { CandidateTag, SkippedTag, TagFilter } from './policy-spec.ts';
import { compileTagFilter, type CompiledTagFilter } from './tag-filter.ts';

/**
 * Narrows a registry's tag list to the tags the policy may choose from: ignoreTags first, then
 * allowTags, then filterTags (whose extract, if any, becomes the value the policy orders).
 * Keeps the input order; every tag left out is reported with why.
 */
export function candidateTags(tags: string[], filter: TagFilter): { candidates: CandidateTag[]; skipped: SkippedTag[] } {
  const { compiled, problems } = compileTagFilter(filter);
  // The API layer rejects such filters; one that slipped through (stored before validation existed)
  // leaves every tag out with the problem as reason, so status shows what is wrong instead of a crash.
  if (!compiled) {
    const reason = problems.join('; ');
    return { candidates: [], skipped: tags.map((tag) => ({ tag, reason })) };
  }
  const candidates: CandidateTag[] = [];
  const skipped: SkippedTag[] = [];
  for (const tag of tags) {
    const outcome = filterTag(tag, compiled);
    if ('reason' in outcome) skipped.push({ tag, reason: outcome.reason });
    else candidates.push({ tag, value: outcome.value });
  }
  return { candidates, skipped };
}

function filterTag(tag: string, filter: CompiledTagFilter): { value: string } | { reason: string } {
  const ignoredBy = filter.ignoreTags.find((glob) => matchesGlob(glob, tag));
  if (ignoredBy !== undefined) return { reason: `matches ignoreTags "${ignoredBy}"` };
  if (filter.allowTags && !filter.allowTags.test(tag)) {
    return { reason: `does not match allowTags "${filter.written.allowTags}"` };
  }
  if (!filter.pattern) return { value: tag };
  const match = filter.pattern.exec(tag);
  if (!match) return { reason: `does not match filterTags.pattern "${filter.written.filterTags?.pattern}"` };
  return { value: filter.extract ? expandTemplate(filter.extract, match) : tag };
}
