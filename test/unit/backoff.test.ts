import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../../src/kube/backoff.ts';

test('backoff doubles from the base up to the cap', () => {
  const policy = { baseMs: 100, maxMs: 1000, jitter: 0 };
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 50].map((failures) => backoffDelay(policy, failures)),
    [0, 100, 200, 400, 800, 1000, 1000],
  );
});

test('jitter only shortens the delay, within its fraction', () => {
  const policy = { baseMs: 1000, maxMs: 10_000, jitter: 0.5 };
  assert.equal(
    backoffDelay(policy, 1, () => 0),
    1000,
  );
  assert.equal(
    backoffDelay(policy, 1, () => 1),
    500,
  );
});
