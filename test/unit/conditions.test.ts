import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setCondition } from '../../src/api/conditions.ts';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:05:00Z');

test('lastTransitionTime moves only when the status flips', () => {
  const first = setCondition(undefined, { type: 'Ready', status: 'False', reason: 'InvalidSpec', message: 'a' }, t0);
  const sameStatus = setCondition(first, { type: 'Ready', status: 'False', reason: 'InvalidSpec', message: 'b' }, t1);
  assert.equal(sameStatus[0]?.lastTransitionTime, '2026-01-01T00:00:00Z');
  assert.equal(sameStatus[0]?.message, 'b');
  const flipped = setCondition(sameStatus, { type: 'Ready', status: 'True', reason: 'Accepted' }, t1);
  assert.equal(flipped[0]?.lastTransitionTime, '2026-01-01T00:05:00Z');
});

test('other conditions are kept, in a stable order', () => {
  const both = setCondition(
    [{ type: 'Stalled', status: 'False', reason: 'Fine' }],
    { type: 'Ready', status: 'True', reason: 'Accepted' },
    t0,
  );
  assert.deepEqual(
    both.map((condition) => condition.type),
    ['Ready', 'Stalled'],
  );
});
