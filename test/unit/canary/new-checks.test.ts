// Which checks a reconcile added to status.checks (newest first, capped), and the result each counts
// as in wren_canary_checks_total, as tables.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckRecord } from '../../../src/canary/latest-checks.ts';
import { checkResult, newChecks, type CheckResult } from '../../../src/canary/new-checks.ts';

const check = (name: string, time: string, extra: Partial<CheckRecord> = {}): CheckRecord => ({
  name,
  kind: 'metric',
  passed: true,
  time,
  ...extra,
});
const a1 = check('success-rate', '2026-12-01T10:00:00Z');
const b1 = check('latency', '2026-12-01T10:00:00Z');
const a2 = check('success-rate', '2026-12-01T10:01:00Z');
const hook = check('load-test', '2026-12-01T10:01:00Z', { kind: 'webhook' });

const added: [string, CheckRecord[] | undefined, CheckRecord[] | undefined, CheckRecord[]][] = [
  ['nothing before: every check is new, oldest first', undefined, [a2, b1, a1], [a1, b1, a2]],
  ['the same list: none', [a2, b1, a1], [a2, b1, a1], []],
  ['a newer check of a metric checked before is new', [b1, a1], [a2, b1, a1], [a2]],
  ['the list capped (the oldest gone): only what was added', [a2, b1, a1], [hook, a2, b1], [hook]],
  ['a new run empties the list: nothing new', [a2, b1, a1], [], []],
  [
    'a webhook and a metric of the same name and time are two checks',
    [a2],
    [check('success-rate', a2.time, { kind: 'webhook' }), a2],
    [check('success-rate', a2.time, { kind: 'webhook' })],
  ],
];

for (const [name, before, after, expected] of added) {
  test(`newChecks: ${name}`, () => {
    assert.deepEqual(newChecks(before, after), expected);
  });
}

const results: [string, Partial<CheckRecord>, CheckResult][] = [
  ['passed', { passed: true }, 'passed'],
  ['failed', { passed: false, reason: 'ThresholdExceeded' }, 'failed'],
  ['inconclusive (not passed, the step held)', { passed: false, inconclusive: true }, 'inconclusive'],
];

for (const [name, extra, expected] of results) {
  test(`checkResult: ${name}`, () => {
    assert.equal(checkResult(check('m', a1.time, extra)), expected);
  });
}
