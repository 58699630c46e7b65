import type { CandidateTag, VersionSelection } from './policy-spec.ts';

/**
 * Following a mutable tag needs no ordering: the version is that tag, and the controller pins it to
 * the digest it resolves to now. The tag must still exist (and pass the filters) to be chosen.
 */
export function selectDigestOf(tag: string, candidates: CandidateTag[]): VersionSelection {
  if (candidates.some((candidate) => candidate.tag === tag)) return { chosen: { tag }, skipped: [], reason: `follows tag "${tag}"` };
  return { skipped: [], reason: `tag "${tag}" is not among the ${candidates.length} candidate tags` };
}
