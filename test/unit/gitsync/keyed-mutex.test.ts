import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyedMutex } from '../../../src/gitsync/source/keyed-mutex.ts';

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

test('tasks on one key run one after another, in order', async () => {
  const mutex = new KeyedMutex();
  const log: string[] = [];
  const first = gate();
  const a = mutex.run('repo', async () => {
    log.push('a starts');
    await first.opened;
    log.push('a ends');
  });
  const b = mutex.run('repo', async () => {
    log.push('b runs');
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(log, ['a starts']);
  first.open();
  await Promise.all([a, b]);
  assert.deepEqual(log, ['a starts', 'a ends', 'b runs']);
  assert.deepEqual(mutex.busyKeys, []);
});

test('tasks on different keys do not wait for each other', async () => {
  const mutex = new KeyedMutex();
  const blocker = gate();
  const slow = mutex.run('repo-a', () => blocker.opened);
  assert.equal(await mutex.run('repo-b', async () => 'b done'), 'b done');
  blocker.open();
  await slow;
});

test('a failed task hands its error to its caller and does not block the next', async () => {
  const mutex = new KeyedMutex();
  const failed = mutex.run('repo', async () => {
    throw new Error('fetch failed');
  });
  const next = mutex.run('repo', async () => 'next ran');
  await assert.rejects(failed, /fetch failed/);
  assert.equal(await next, 'next ran');
});
