import type { TagPolicy } from './policy-spec.ts';

export const POLICY_KINDS = ['semver', 'newestBuild', 'digest', 'alphabetical', 'numerical'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

// null counts as unset: YAML `semver:` with nothing after it decodes to null, and the user meant nothing.
export function policyKindsSet(policy: TagPolicy): PolicyKind[] {
  return POLICY_KINDS.filter((kind) => policy[kind] != null);
}

/** The one ordering policy in force, or undefined when none or several are set. */
export function policyKind(policy: TagPolicy): PolicyKind | undefined {
  const kinds = policyKindsSet(policy);
  return kinds.length === 1 ? kinds[0] : undefined;
}

/** True when the controller must fetch image config dates (for the candidates only) before selecting. */
export function needsCreatedDates(policy: TagPolicy): boolean {
  return policyKind(policy) === 'newestBuild';
}
