import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeValue } from '../../../src/analysis/check-verdict.ts';

const query = 'sum(rate(x[1m]))';

test('no data is never a pass', () => {
  for (const value of [undefined, Number.NaN]) {
    const result = judgeValue({ name: 'request-success-rate', thresholdRange: { min: 99 } }, value, query);
    assert.equal(result.passed, false);
    assert.equal(result.reason, 'NoData');
    assert.match(result.message ?? '', /receiving traffic/);
    assert.equal(result.query, query, 'the query that came back empty is named');
  }
});

test('threshold ranges and conditions decide the verdict', () => {
  const cases: [Parameters<typeof judgeValue>[0], number, boolean, string | undefined][] = [
    [{ name: 'success', thresholdRange: { min: 99 } }, 99.5, true, undefined],
    [{ name: 'success', thresholdRange: { min: 99 } }, 98.9, false, 'BelowThreshold'],
    [{ name: 'latency', thresholdRange: { max: 500 } }, 501, false, 'AboveThreshold'],
    [{ name: 'latency', threshold: 500 }, 400, true, undefined],
    [{ name: 'band', thresholdRange: { min: 1, max: 2 } }, 1.5, true, undefined],
    [{ name: 'expr', successCondition: 'result >= 99 and result < 101' }, 100, true, undefined],
    [{ name: 'expr', successCondition: 'result >= 99' }, 90, false, 'ConditionNotMet'],
    [{ name: 'expr', failureCondition: 'result > 5' }, 6, false, 'FailureCondition'],
    [{ name: 'expr', failureCondition: 'result > 5', successCondition: 'result > 1' }, 3, true, undefined],
  ];
  for (const [rule, value, passed, reason] of cases) {
    const result = judgeValue(rule, value, query);
    assert.equal(result.passed, passed, `${rule.name} with ${value}`);
    assert.equal(result.reason, reason, `${rule.name} with ${value}`);
    assert.equal(result.value, value);
  }
});

test('the accepted range is recorded in words', () => {
  assert.equal(judgeValue({ name: 'x', thresholdRange: { min: 99, max: 101 } }, 100, query).threshold, '>= 99, <= 101');
  assert.equal(judgeValue({ name: 'x', successCondition: 'result > 1' }, 2, query).threshold, 'success: result > 1');
});
