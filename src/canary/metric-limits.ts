// Each metric's limits in a run, as Argo Rollouts users know them (failureLimit, inconclusiveLimit,
// consecutiveErrorLimit), and what a query that returns nothing means (onNoData). Pure: from the
// spec's metrics, the counts kept in status and one step's checks, to the checks as the limits read
// them, the step's verdict on those, the new counts, and whether a limit fails or pauses the run.
import type { CanarySpecType, CanaryStatusType } from '../api/canary.ts';
import { stepVerdict } from '../analysis/step-verdict.ts';
import type { CheckResult, Verdict } from './analysis-seam.ts';

type Metric = NonNullable<CanarySpecType['analysis']['metrics']>[number];
export type MetricCount = NonNullable<CanaryStatusType['metricCounts']>[number];

/** Reasons of a check that says nothing about the canary, only that the metric could not be read. */
export const ERROR_REASONS: ReadonlySet<string> = new Set(['Unreachable', 'QueryFailed']);
/** Reason of an error that came once too often in a row: from then on, a failed check. */
export const ERROR_LIMIT_EXCEEDED = 'ConsecutiveErrorLimitExceeded';

export type PauseReason = 'InconclusiveLimitExceeded' | 'NoData';

export interface LimitRuling {
  /** The step's verdict on the checks as each metric's limits and onNoData read them. */
  verdict: Verdict;
  /** The counts of every metric of the spec after this step. */
  counts: MetricCount[];
  /** A metric failed more often than its failureLimit: the run fails, and this says which. */
  failureLimitExceeded?: string;
  /** The run waits for a person (`wren promote` or `wren abort`), and why. */
  pause?: { reason: PauseReason; message: string };
}

type Outcome = 'passed' | 'failed' | 'inconclusive' | 'error' | 'pause';

interface Reading {
  check: CheckResult;
  outcome: Outcome;
}

const zero = (name: string): MetricCount => ({ name, failed: 0, inconclusive: 0, consecutiveErrors: 0 });
const times = (count: number) => (count === 1 ? 'once' : `${count} times`);
const said = (check: CheckResult) => check.message ?? check.reason ?? 'no message';

/** How one metric's check counts, given the errors in a row before it. */
export function readCheck(metric: Metric, check: CheckResult, errorsBefore: number): Reading {
  if (check.passed) return { check, outcome: 'passed' };
  if (check.reason !== undefined && ERROR_REASONS.has(check.reason)) return readError(metric, check, errorsBefore + 1);
  if (check.reason === 'NoData' && check.inconclusive !== true) {
    const onNoData = metric.onNoData ?? 'fail';
    if (onNoData === 'inconclusive') return { check: { ...check, inconclusive: true }, outcome: 'inconclusive' };
    // Not a failure while a person looks at it: the check holds the step, the pause stops the run.
    if (onNoData === 'pause') return { check: { ...check, inconclusive: true }, outcome: 'pause' };
    return { check, outcome: 'failed' };
  }
  return { check, outcome: check.inconclusive === true ? 'inconclusive' : 'failed' };
}

function readError(metric: Metric, check: CheckResult, errors: number): Reading {
  const limit = metric.consecutiveErrorLimit;
  // Without a limit, as before: an unreachable server holds the step, a refused query fails it.
  if (limit === undefined) return { check, outcome: check.reason === 'QueryFailed' ? 'failed' : 'error' };
  if (errors > limit) {
    const message = `${errors} errors in a row, more than its consecutiveErrorLimit of ${limit}: ${said(check)}`;
    return { check: { ...check, reason: ERROR_LIMIT_EXCEEDED, message }, outcome: 'failed' };
  }
  if (check.reason === 'QueryFailed') {
    // Tolerated, like an unreachable server: neither a pass nor a failure; the step is judged again.
    const message = `error ${errors} in a row of the ${limit} its consecutiveErrorLimit tolerates: ${said(check)}`;
    return { check: { ...check, inconclusive: true, message }, outcome: 'error' };
  }
  return { check, outcome: 'error' };
}

/** The metric's counts after one check; `error`: the check could not read the metric at all. */
function counted(count: MetricCount, outcome: Outcome, error: boolean): MetricCount {
  return {
    name: count.name,
    failed: count.failed + (outcome === 'failed' ? 1 : 0),
    inconclusive: count.inconclusive + (outcome === 'inconclusive' ? 1 : 0),
    consecutiveErrors: error ? count.consecutiveErrors + 1 : 0,
  };
}

export function ruleMetrics(
  metrics: readonly Metric[] | undefined,
  counts: readonly MetricCount[] | undefined,
  checks: readonly CheckResult[],
): LimitRuling {
  const byName = new Map((metrics ?? []).map((metric) => [metric.name, metric]));
  const next = new Map(
    (metrics ?? []).map((metric) => [metric.name, counts?.find((count) => count.name === metric.name) ?? zero(metric.name)]),
  );
  const failures: string[] = [];
  const pauses: { reason: PauseReason; message: string }[] = [];
  const read = checks.map((check) => {
    const metric = check.kind === 'metric' ? byName.get(check.name) : undefined;
    const before = next.get(check.name);
    if (!metric || !before) return check;
    const reading = readCheck(metric, check, before.consecutiveErrors);
    const after = counted(before, reading.outcome, ERROR_REASONS.has(check.reason ?? ''));
    next.set(metric.name, after);
    if (reading.outcome === 'failed' && metric.failureLimit !== undefined && after.failed > metric.failureLimit) {
      failures.push(
        `"${metric.name}" failed ${times(after.failed)}, more than its failureLimit of ${metric.failureLimit}: ${said(reading.check)}`,
      );
    }
    if (reading.outcome === 'inconclusive' && metric.inconclusiveLimit !== undefined && after.inconclusive > metric.inconclusiveLimit) {
      pauses.push({
        reason: 'InconclusiveLimitExceeded',
        message: `"${metric.name}" was inconclusive ${times(after.inconclusive)}, more than its inconclusiveLimit of ${metric.inconclusiveLimit} (${said(reading.check)})`,
      });
    }
    if (reading.outcome === 'pause') {
      pauses.push({ reason: 'NoData', message: `"${metric.name}" returned no data and its onNoData is pause (${said(reading.check)})` });
    }
    return reading.check;
  });
  const [firstPause] = pauses;
  return {
    verdict: stepVerdict(read),
    counts: [...next.values()],
    ...(failures.length > 0 ? { failureLimitExceeded: failures.join('; ') } : {}),
    ...(firstPause ? { pause: { reason: firstPause.reason, message: pauses.map((pause) => pause.message).join('; ') } } : {}),
  };
}
