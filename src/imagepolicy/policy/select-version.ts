import type { CandidateTag, TagFacts, TagPolicy, VersionSelection } from './policy-spec.ts';
import { selectAlphabetically, selectNumerically } from './select-by-order.ts';
import { selectBySemver } from './select-by-semver.ts';
import { selectDigestOf } from './select-digest.ts';
import { selectNewestBuild } from './select-newest-build.ts';
import { orderingPolicyProblems } from './validate-policy.ts';

/**
 * Picks the version among the candidates (see candidateTags) by the policy. Tags the policy cannot
 * read are skipped with a reason, never fatal; an invalid policy chooses nothing and says why.
 * facts.created is read only by newestBuild (see needsCreatedDates).
 */
export function selectVersion(policy: TagPolicy, candidates: CandidateTag[], facts: TagFacts = {}): VersionSelection {
  const problems = orderingPolicyProblems(policy);
  if (problems.length > 0) return { skipped: [], reason: problems.join('; ') };
  // Exactly one of these is set, as orderingPolicyProblems just checked.
  if (policy.semver) return selectBySemver(policy.semver.range, candidates);
  if (policy.newestBuild) return selectNewestBuild(candidates, facts.created);
  if (policy.digest) return selectDigestOf(policy.digest.tag, candidates);
  if (policy.alphabetical) return selectAlphabetically(candidates, policy.alphabetical.order);
  if (policy.numerical) return selectNumerically(candidates, policy.numerical.order);
  return { skipped: [], reason: 'policy: no ordering policy set' };
}
