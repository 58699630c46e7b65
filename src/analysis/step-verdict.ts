// From the checks of one step to its verdict. A step fails when any check fails; but when the only
// checks that did not pass are inconclusive ones (too little to judge) or metrics whose server gave
// no answer, the step has no verdict: it is held (never passed, never counted as failed) and judged
// again at its next interval.
import type { CheckResult, Verdict } from '../canary/analysis-seam.ts';
import { UNREACHABLE } from './providers/unreachable.ts';

const heldFor = (check: CheckResult) => check.inconclusive === true || check.reason === UNREACHABLE;

export function stepVerdict(checks: CheckResult[]): Verdict {
  const notPassed = checks.filter((check) => !check.passed);
  if (notPassed.length === 0 || !notPassed.every(heldFor)) return { passed: notPassed.length === 0, checks };
  const away = notPassed.filter((check) => check.reason === UNREACHABLE && check.inconclusive !== true);
  const unsure = notPassed.filter((check) => check.inconclusive === true);
  const servers = [...new Set(away.map((check) => check.message ?? check.name))];
  const inconclusive = unsure.map((check) => `${check.name}: ${check.message ?? check.reason ?? 'inconclusive'}`);
  return {
    passed: false,
    checks,
    ...(servers.length > 0 ? { unreachable: servers.join('; ') } : {}),
    ...(inconclusive.length > 0 ? { inconclusive: inconclusive.join('; ') } : {}),
  };
}
