// Each metric's limits, rule by rule: what one step's check counts as, given the counts of the run
// so far and the metric's failureLimit, inconclusiveLimit, consecutiveErrorLimit and onNoData.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckResult } from '../../../src/canary/analysis-seam.ts';
import { ruleMetrics, type MetricCount } from '../../../src/canary/metric-limits.ts';

type Metric = Parameters<typeof ruleMetrics>[0] extends readonly (infer M)[] | undefined ? M : never;

const check = (reason: string | undefined, extra: Partial<CheckResult> = {}): CheckResult => ({
  name: 'm',
  kind: 'metric',
  passed: reason === undefined,
  ...(reason ? { reason, message: `m: ${reason}` } : {}),
  ...extra,
});
const pass = check(undefined);
const fail = check('AboveThreshold');
const noData = check('NoData');
const away = check('Unreachable');
const refused = check('QueryFailed');
const unsure = check(undefined, { passed: false, inconclusive: true, message: 'too few requests' });
const counts = (failed = 0, inconclusive = 0, consecutiveErrors = 0): MetricCount[] => [
  { name: 'm', failed, inconclusive, consecutiveErrors },
];

interface Row {
  name: string;
  metric?: Partial<Metric>;
  before?: MetricCount[];
  check: CheckResult;
  /** 'pass' | 'fail' | 'hold' (no verdict: unreachable or inconclusive) */
  step: 'pass' | 'fail' | 'hold';
  after: [failed: number, inconclusive: number, consecutiveErrors: number];
  failureLimit?: RegExp;
  pause?: [reason: string, message: RegExp];
  reason?: string;
}

const rows: Row[] = [
  { name: 'a pass counts nothing and ends a run of errors', before: counts(1, 1, 3), check: pass, step: 'pass', after: [1, 1, 0] },
  { name: 'a failure is counted', check: fail, step: 'fail', after: [1, 0, 0] },
  { name: 'failures up to failureLimit do not fail the run', metric: { failureLimit: 1 }, check: fail, step: 'fail', after: [1, 0, 0] },
  {
    name: 'one failure more than failureLimit fails the run, naming the metric',
    metric: { failureLimit: 1 },
    before: counts(1),
    check: fail,
    step: 'fail',
    after: [2, 0, 0],
    failureLimit: /^"m" failed 2 times, more than its failureLimit of 1: m: AboveThreshold$/,
  },
  {
    name: 'failureLimit 0: the first failure fails the run',
    metric: { failureLimit: 0 },
    check: fail,
    step: 'fail',
    after: [1, 0, 0],
    failureLimit: /failureLimit of 0/,
  },
  { name: 'an inconclusive result holds the step and is counted', check: unsure, step: 'hold', after: [0, 1, 0] },
  {
    name: 'without inconclusiveLimit, inconclusive results never pause',
    before: counts(0, 50),
    check: unsure,
    step: 'hold',
    after: [0, 51, 0],
  },
  {
    name: 'inconclusive results up to inconclusiveLimit hold',
    metric: { inconclusiveLimit: 2 },
    before: counts(0, 1),
    check: unsure,
    step: 'hold',
    after: [0, 2, 0],
  },
  {
    name: 'one inconclusive result more than inconclusiveLimit pauses the run, naming the metric and why',
    metric: { inconclusiveLimit: 2 },
    before: counts(0, 2),
    check: unsure,
    step: 'hold',
    after: [0, 3, 0],
    pause: ['InconclusiveLimitExceeded', /^"m" was inconclusive 3 times, more than its inconclusiveLimit of 2 \(too few requests\)$/],
  },
  { name: 'no data fails by default', check: noData, step: 'fail', after: [1, 0, 0], reason: 'NoData' },
  { name: 'onNoData fail: no data is a failed check', metric: { onNoData: 'fail' }, check: noData, step: 'fail', after: [1, 0, 0] },
  {
    name: 'onNoData inconclusive: no data holds the step and is counted',
    metric: { onNoData: 'inconclusive' },
    check: noData,
    step: 'hold',
    after: [0, 1, 0],
  },
  {
    name: 'onNoData inconclusive counts toward inconclusiveLimit',
    metric: { onNoData: 'inconclusive', inconclusiveLimit: 0 },
    check: noData,
    step: 'hold',
    after: [0, 1, 0],
    pause: ['InconclusiveLimitExceeded', /inconclusiveLimit of 0/],
  },
  {
    name: 'onNoData pause: no data pauses the run at once, counted neither failed nor inconclusive',
    metric: { onNoData: 'pause' },
    check: noData,
    step: 'hold',
    after: [0, 0, 0],
    pause: ['NoData', /^"m" returned no data and its onNoData is pause \(m: NoData\)$/],
  },
  {
    name: 'no data in the gap after an outage is the outage (Unreachable), whatever onNoData says',
    metric: { onNoData: 'pause' },
    check: away,
    step: 'hold',
    after: [0, 0, 1],
  },
  {
    name: 'without consecutiveErrorLimit an unreachable server holds for as long as it lasts',
    before: counts(0, 0, 99),
    check: away,
    step: 'hold',
    after: [0, 0, 100],
  },
  {
    name: 'without consecutiveErrorLimit a refused query fails, as before',
    check: refused,
    step: 'fail',
    after: [1, 0, 1],
    reason: 'QueryFailed',
  },
  {
    name: 'errors up to consecutiveErrorLimit hold: unreachable',
    metric: { consecutiveErrorLimit: 2 },
    before: counts(0, 0, 1),
    check: away,
    step: 'hold',
    after: [0, 0, 2],
  },
  {
    name: 'errors up to consecutiveErrorLimit hold: a refused query too, without counting as inconclusive',
    metric: { consecutiveErrorLimit: 2 },
    check: refused,
    step: 'hold',
    after: [0, 0, 1],
    reason: 'QueryFailed',
  },
  {
    name: 'one error more than consecutiveErrorLimit is a failed check',
    metric: { consecutiveErrorLimit: 2 },
    before: counts(0, 0, 2),
    check: away,
    step: 'fail',
    after: [1, 0, 3],
    reason: 'ConsecutiveErrorLimitExceeded',
  },
  {
    name: 'consecutiveErrorLimit 0: every error is a failed check, and counts toward failureLimit',
    metric: { consecutiveErrorLimit: 0, failureLimit: 0 },
    check: refused,
    step: 'fail',
    after: [1, 0, 1],
    failureLimit: /failed once.*1 errors in a row, more than its consecutiveErrorLimit of 0: m: QueryFailed/,
  },
  {
    name: 'a failure ends a run of errors',
    metric: { consecutiveErrorLimit: 2 },
    before: counts(0, 0, 2),
    check: fail,
    step: 'fail',
    after: [1, 0, 0],
  },
];

for (const row of rows) {
  test(`metric limits: ${row.name}`, () => {
    const ruling = ruleMetrics([{ name: 'm', ...row.metric }], row.before, [row.check]);
    const held = ruling.verdict.unreachable !== undefined || ruling.verdict.inconclusive !== undefined;
    assert.equal(ruling.verdict.passed ? 'pass' : held ? 'hold' : 'fail', row.step);
    const [count] = ruling.counts;
    assert.deepEqual([count?.failed, count?.inconclusive, count?.consecutiveErrors], row.after);
    if (row.failureLimit) assert.match(ruling.failureLimitExceeded ?? '', row.failureLimit);
    else assert.equal(ruling.failureLimitExceeded, undefined);
    assert.deepEqual(
      ruling.pause && [ruling.pause.reason, ruling.pause.message.match(row.pause?.[1] ?? /$^/) !== null],
      row.pause && [row.pause[0], true],
    );
    if (row.reason) assert.equal(ruling.verdict.checks[0]?.reason, row.reason);
  });
}

test('metric limits: webhooks and checks of metrics not in the spec pass through untouched; counts follow the spec', () => {
  const hook: CheckResult = { name: 'load-test', kind: 'webhook', passed: false, reason: 'NoData' };
  const stray = { ...noData, name: 'gone' };
  const ruling = ruleMetrics([{ name: 'a', onNoData: 'pause' }, { name: 'b' }], undefined, [hook, stray]);
  assert.deepEqual(ruling.verdict.checks, [hook, stray]);
  assert.equal(ruling.verdict.passed, false);
  assert.equal(ruling.pause, undefined);
  assert.deepEqual(
    ruling.counts.map((count) => count.name),
    ['a', 'b'],
  );
});

test('metric limits: two metrics over their limits are both named; a failure beside a pause still fails the step', () => {
  const ruling = ruleMetrics(
    [
      { name: 'a', onNoData: 'pause' },
      { name: 'b', failureLimit: 0 },
    ],
    undefined,
    [
      { ...noData, name: 'a' },
      { ...fail, name: 'b' },
    ],
  );
  assert.equal(ruling.verdict.passed, false);
  assert.equal(ruling.verdict.inconclusive, undefined, 'a real failure is no hold');
  assert.match(ruling.failureLimitExceeded ?? '', /^"b" failed once/);
  assert.equal(ruling.pause?.reason, 'NoData');
});
