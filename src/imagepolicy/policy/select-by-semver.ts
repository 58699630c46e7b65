import semver from 'semver';
import type { CandidateTag, SkippedTag, VersionSelection } from './policy-spec.ts';
import { judgedValue, pickTag, type RankedTag } from './ranking.ts';

/**
 * The newest version satisfying the range. Values parse strictly (a leading `v` is allowed, `1.2` is
 * not a version: semver.coerce would turn it into 1.2.0 and could pick a tag nobody meant as a release).
 * Prereleases count only when the range names a prerelease of the same version (semver's default).
 */
export function selectBySemver(range: string, candidates: CandidateTag[]): VersionSelection {
  const compiledRange = new semver.Range(range);
  const ranked: RankedTag<semver.SemVer>[] = [];
  const skipped: SkippedTag[] = [];
  for (const candidate of candidates) {
    const version = semver.parse(candidate.value);
    if (!version) {
      skipped.push({ tag: candidate.tag, reason: `${judgedValue(candidate)}is not a semver version` });
    } else if (!compiledRange.test(version)) {
      skipped.push({ tag: candidate.tag, reason: outOfRangeReason(version, range) });
    } else {
      ranked.push({ tag: candidate.tag, key: version });
    }
  }
  const chosen = pickTag(ranked, (a, b) => semver.compareBuild(a, b), 'highest');
  if (chosen === undefined) return { skipped, reason: `no tag of ${candidates.length} satisfies ${range}` };
  return { chosen: { tag: chosen }, skipped, reason: `newest of ${ranked.length} tags matching ${range}` };
}

// A prerelease left out only because of the prerelease rule is the classic "why was 2.0.0-rc.1 not
// picked?" question, so the reason says so.
function outOfRangeReason(version: semver.SemVer, range: string): string {
  if (version.prerelease.length > 0 && semver.satisfies(version, range, { includePrerelease: true })) {
    return `${version.version} is a prerelease; ${range} admits prereleases only of a version it names with one`;
  }
  return `${version.version} does not satisfy ${range}`;
}
