// When inconclusive checks hold a step: the rule of step-verdict.ts, table by table. (The
// unreachable-server rows are in metrics-availability.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stepVerdict } from '../../../src/analysis/step-verdict.ts';
import type { CheckResult } from '../../../src/canary/analysis-seam.ts';

const pass = (name: string): CheckResult => ({ name, kind: 'metric', passed: true });
const fail = (name: string): CheckResult => ({
  name,
  kind: 'metric',
  passed: false,
  reason: 'AboveThreshold',
  message: `${name} 900 > 500`,
});
const unsure = (name: string, message = 'too few requests: 12 on the canary, 40 needed'): CheckResult => ({
  name,
  kind: 'metric',
  passed: false,
  inconclusive: true,
  message,
});
const away = (name: string): CheckResult => ({ name, kind: 'metric', passed: false, reason: 'Unreachable', message: 'prom down' });
const hook = (passed: boolean): CheckResult => ({ name: 'load-test', kind: 'webhook', passed });

const rows: { name: string; checks: CheckResult[]; passed: boolean; inconclusive?: string; unreachable?: string }[] = [
  {
    name: 'only an inconclusive check did not pass: held, naming it and why',
    checks: [pass('a'), unsure('b'), hook(true)],
    passed: false,
    inconclusive: 'b: too few requests: 12 on the canary, 40 needed',
  },
  {
    name: 'two inconclusive metrics are both named',
    checks: [unsure('a', 'x'), unsure('b', 'y')],
    passed: false,
    inconclusive: 'a: x; b: y',
  },
  {
    name: 'inconclusive beside an unreachable server: held, saying both',
    checks: [unsure('a', 'x'), away('b')],
    passed: false,
    inconclusive: 'a: x',
    unreachable: 'prom down',
  },
  { name: 'a failed metric beside an inconclusive one fails the step', checks: [unsure('a'), fail('b')], passed: false },
  { name: 'a failed webhook beside an inconclusive metric fails the step', checks: [unsure('a'), hook(false)], passed: false },
  {
    name: 'an inconclusive check without a message says its reason',
    checks: [{ name: 'a', kind: 'metric', passed: false, inconclusive: true, reason: 'TooFewSamples' }],
    passed: false,
    inconclusive: 'a: TooFewSamples',
  },
  { name: 'all pass: no hold', checks: [pass('a'), hook(true)], passed: true },
];
for (const row of rows) {
  test(`step verdict: ${row.name}`, () => {
    const verdict = stepVerdict(row.checks);
    assert.equal(verdict.passed, row.passed);
    assert.equal(verdict.inconclusive, row.inconclusive);
    assert.equal(verdict.unreachable, row.unreachable);
  });
}
