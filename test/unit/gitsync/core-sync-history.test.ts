import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HISTORY_LIMIT, type SyncRecord, withRecord } from '../../../src/gitsync/sync-history.ts';

const succeeded = (revision: string, minute = 0): SyncRecord => ({
  revision,
  time: `2024-05-01T10:${String(minute).padStart(2, '0')}:00Z`,
  result: 'Succeeded',
  trigger: 'poll',
  message: '1 created, 0 updated, 0 corrected, 0 deleted',
});
const failed = (revision: string, message: string, minute = 0): SyncRecord => ({
  revision,
  time: `2024-05-01T10:${String(minute).padStart(2, '0')}:00Z`,
  result: 'Failed',
  trigger: 'poll',
  message,
});

test('the first record starts the history', () => {
  assert.deepEqual(withRecord(undefined, succeeded('aaa')), [succeeded('aaa')]);
  assert.deepEqual(withRecord([], succeeded('aaa')), [succeeded('aaa')]);
});

test('newest first', () => {
  const history = withRecord(
    withRecord(withRecord(undefined, succeeded('a', 1)), succeeded('b', 2)),
    failed('c', 'render failed: bad yaml', 3),
  );
  assert.deepEqual(
    history.map((record) => record.revision),
    ['c', 'b', 'a'],
  );
});

test(`at most ${HISTORY_LIMIT} records: the oldest drop out`, () => {
  assert.equal(HISTORY_LIMIT, 10);
  let history: SyncRecord[] | undefined;
  for (let index = 0; index < 13; index += 1) history = withRecord(history, succeeded(`rev${index}`, index));
  assert.equal(history?.length, 10);
  assert.equal(history?.[0]?.revision, 'rev12');
  assert.equal(history?.[9]?.revision, 'rev3');
});

test('the same failure again is not added, however often it repeats', () => {
  const first = withRecord([succeeded('a')], failed('b', 'dry-run failed: quota exceeded', 1));
  let history = first;
  for (let minute = 2; minute < 30; minute += 1) history = withRecord(history, failed('b', 'dry-run failed: quota exceeded', minute));
  assert.deepEqual(history, first);
  assert.equal(history[0]?.time, '2024-05-01T10:01:00Z', 'the first occurrence is kept');
  assert.equal(history[1]?.revision, 'a', 'the good revision is not pushed out');
});

const addedCases: { name: string; previous: SyncRecord; next: SyncRecord }[] = [
  {
    name: 'a failure with another message',
    previous: failed('b', 'dry-run failed: quota exceeded'),
    next: failed('b', 'apply failed: conflict'),
  },
  {
    name: 'the same failure on another revision',
    previous: failed('b', 'render failed: bad yaml'),
    next: failed('c', 'render failed: bad yaml'),
  },
  { name: 'a success after a failure', previous: failed('b', 'render failed: bad yaml'), next: succeeded('b') },
  { name: 'a failure after a success on the same revision', previous: succeeded('b'), next: failed('b', 'apply failed: conflict') },
  {
    name: 'the same success again (a later sync of the same revision that applied something)',
    previous: succeeded('b'),
    next: succeeded('b', 5),
  },
];

for (const { name, previous, next } of addedCases) {
  test(`added: ${name}`, () => {
    assert.deepEqual(withRecord([previous], next), [next, previous]);
  });
}

test('only the newest record is compared: a failure that repeats after another one is added again', () => {
  const history = [failed('b', 'apply failed: conflict', 2), failed('b', 'dry-run failed: quota exceeded', 1)];
  assert.equal(withRecord(history, failed('b', 'dry-run failed: quota exceeded', 3)).length, 3);
});

test('the given history is not changed', () => {
  const history = [succeeded('a')];
  withRecord(history, succeeded('b'));
  assert.deepEqual(history, [succeeded('a')]);
});
