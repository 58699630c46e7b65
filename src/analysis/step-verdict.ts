// From the checks of one step to its verdict. A step fails when any check fails; but when the only
// checks that did not pass are metrics whose server gave no answer, the step has no verdict: it is
// held (never passed, never counted as failed) and judged again at its next interval.
import type { CheckResult, Verdict } from '../canary/analysis-seam.ts';
import { UNREACHABLE } from './providers/unreachable.ts';

export function stepVerdict(checks: CheckResult[]): Verdict {
  const notPassed = checks.filter((check) => !check.passed);
  if (notPassed.length > 0 && notPassed.every((check) => check.reason === UNREACHABLE)) {
    const servers = [...new Set(notPassed.map((check) => check.message ?? check.name))];
    return { passed: false, checks, unreachable: servers.join('; ') };
  }
  return { passed: notPassed.length === 0, checks };
}
