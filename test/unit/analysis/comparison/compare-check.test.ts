// The metric checker's comparison path up to the first query: what it says of a template it cannot
// compare with, before anything is sent to a server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary } from '../../../../src/api/canary.ts';
import { oneTemplateChecker } from '../one-template-checker.ts';

const canary = {
  metadata: { name: 'web', namespace: 'shop' },
  spec: { targetRef: { name: 'web' }, service: { port: 80 } },
  status: { runStartedAt: '2026-01-01T00:00:00Z' },
} as unknown as Canary;
const metric = { name: 'errors', templateRef: { name: 'errors' }, compareTo: 'primary' as const };
const step = { phase: 'Progressing', canaryWeight: 10, revision: 'r' };

test('a comparison with a template that has no spec.comparison fails its check naming the template, and sends nothing', async () => {
  const checker = oneTemplateChecker({ provider: { type: 'prometheus', address: 'http://127.0.0.1:1' }, query: 'sum(errors)' });
  assert.deepEqual(await checker.check(canary, metric, step), {
    name: 'errors',
    kind: 'metric',
    passed: false,
    reason: 'InvalidTemplate',
    message: 'MetricTemplate shop/errors: spec.comparison is missing, so it cannot be compared with the primary',
  });
});

test('a comparison query with a variable the metric does not set fails its check naming the variable, and sends nothing', async () => {
  const checker = oneTemplateChecker({
    provider: { type: 'prometheus', address: 'http://127.0.0.1:1' },
    comparison: { requests: 'sum(r{w="{{ target }}"})', errors: 'sum(e{w="{{ target }}", code="{{ variables.code }}"})' },
  });
  const result = await checker.check(canary, metric, step);
  assert.equal(result.reason, 'InvalidTemplate');
  assert.match(result.message ?? '', /variables\.code/);
});
