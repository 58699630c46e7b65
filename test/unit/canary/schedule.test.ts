import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequest } from '../../../src/canary/requests.ts';
import { scheduleOf } from '../../../src/canary/schedule.ts';

const weights = (analysis: Parameters<typeof scheduleOf>[0]) =>
  scheduleOf(analysis).map((step) => (step.kind === 'pause' ? `pause:${step.durationMs ?? 'manual'}@${step.weight}` : step.weight));

test('every way of writing a schedule becomes one list of steps', () => {
  const base = { interval: '1m', threshold: 5 };
  assert.deepEqual(weights({ ...base, stepWeight: 10, maxWeight: 50 }), [10, 20, 30, 40, 50]);
  assert.deepEqual(weights({ ...base, stepWeight: 30, maxWeight: 50 }), [30, 50], 'the last step is capped at maxWeight');
  assert.deepEqual(weights({ ...base, stepWeight: 25 }), [25, 50, 75, 100]);
  assert.deepEqual(weights({ ...base, stepWeights: [1, 10, 80] }), [1, 10, 80]);
  assert.deepEqual(weights({ ...base, iterations: 3 }), [0, 0, 0]);
  assert.deepEqual(weights({ ...base, steps: [{ setWeight: 5 }, { pause: {} }, { setWeight: 40 }, { pause: { duration: '2m' } }] }), [
    5,
    'pause:manual@5',
    40,
    'pause:120000@40',
  ]);
});

test('manual requests parse only known actions', () => {
  assert.deepEqual(parseRequest('promote@2026-01-01T00:00:00Z'), { action: 'promote', id: 'promote@2026-01-01T00:00:00Z' });
  assert.deepEqual(parseRequest('promote-full@x'), { action: 'promote-full', id: 'promote-full@x' });
  assert.equal(parseRequest('delete-everything@x'), undefined);
  assert.equal(parseRequest(undefined), undefined);
});
