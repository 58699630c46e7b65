// The checks one reconcile added to a Canary's status (status.checks is newest first and capped), and
// the result each counts as in the metrics: pure, so the mapping is table-tested apart from prom-client.
import type { CheckRecord } from './latest-checks.ts';

export type CheckResult = 'passed' | 'failed' | 'inconclusive';

/** Records of `after` that `before` does not hold (same name, kind and time), oldest first. */
export function newChecks(before: CheckRecord[] | undefined, after: CheckRecord[] | undefined): CheckRecord[] {
  const identity = (check: CheckRecord) => `${check.kind}\u0000${check.name}\u0000${check.time}`;
  const seen = new Set((before ?? []).map(identity));
  return (after ?? []).filter((check) => !seen.has(identity(check))).reverse();
}

export function checkResult(check: CheckRecord): CheckResult {
  if (check.inconclusive) return 'inconclusive';
  return check.passed ? 'passed' : 'failed';
}
