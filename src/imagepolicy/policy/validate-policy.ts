import semver from 'semver';
import { POLICY_KINDS, policyKindsSet } from './policy-kind.ts';
import type { TagFilter, TagPolicy } from './policy-spec.ts';
import { compileTagFilter } from './tag-filter.ts';

// The OCI distribution spec's tag grammar.
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const ORDERS = ['asc', 'desc'];

/** Every problem with a policy and its filters, each naming the field; empty when it is usable. */
export function validatePolicy(policy: TagPolicy & TagFilter): string[] {
  return [...orderingPolicyProblems(policy), ...compileTagFilter(policy).problems];
}

/** Problems with the ordering policy alone (semver, newestBuild, digest, alphabetical, numerical). */
export function orderingPolicyProblems(policy: TagPolicy): string[] {
  const problems: string[] = [];
  const kinds = policyKindsSet(policy);
  if (kinds.length !== 1) {
    const got = kinds.length > 1 ? `; got ${kinds.join(' and ')}` : '';
    problems.push(`policy: set exactly one of ${POLICY_KINDS.join(', ')}${got}`);
  }
  if (policy.semver != null) problems.push(...semverRangeProblems(policy.semver.range));
  if (policy.digest != null && !IMAGE_TAG.test(policy.digest.tag ?? '')) {
    problems.push(`policy.digest.tag: "${policy.digest.tag ?? ''}" is not a valid image tag`);
  }
  for (const kind of ['alphabetical', 'numerical'] as const) {
    const order = policy[kind]?.order;
    if (order != null && !ORDERS.includes(order)) problems.push(`policy.${kind}.order: must be asc or desc, got "${order}"`);
  }
  return problems;
}

function semverRangeProblems(range: string | undefined): string[] {
  // semver reads '' as '*'; an empty range in a policy is far more likely a forgotten value than a wish for anything.
  if (range == null || range.trim() === '') return ['policy.semver.range: must not be empty (write "*" for any version)'];
  if (semver.validRange(range) === null) return [`policy.semver.range: "${range}" is not a valid semver range`];
  return [];
}
