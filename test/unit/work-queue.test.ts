import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkQueue } from '../../src/kube/work-queue.ts';

const fastRetry = { baseMs: 1, maxMs: 5, jitter: 0 };

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(1);
}

test('a key is never processed by two workers at once, and an add during processing is not lost', async () => {
  const queue = new WorkQueue({ workers: 4, backoff: fastRetry });
  const gate = deferred();
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  queue.start(async () => {
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    runs += 1;
    if (runs === 1) await gate.promise;
    running -= 1;
  });
  queue.add('ns/a');
  await until(() => runs === 1);
  queue.add('ns/a');
  queue.add('ns/a');
  gate.resolve();
  await until(() => runs === 2);
  await sleep(5);
  await queue.stop();
  assert.equal(maxRunning, 1);
  assert.equal(runs, 2, 'the adds during processing collapse into one more run');
});

test('duplicate adds of a waiting key collapse; distinct keys all run', async () => {
  const queue = new WorkQueue({ workers: 1, backoff: fastRetry });
  const seen: string[] = [];
  for (const key of ['a', 'b', 'a', 'c', 'b']) queue.add(key);
  queue.start(async (key) => {
    seen.push(key);
  });
  await until(() => seen.length === 3);
  await sleep(5);
  await queue.stop();
  assert.deepEqual(seen, ['a', 'b', 'c']);
});

test('a failing key is retried with backoff and reported, then succeeds', async () => {
  const errors: string[] = [];
  const queue = new WorkQueue({
    workers: 1,
    backoff: fastRetry,
    onError: (key, error) => errors.push(`${key}: ${(error as Error).message}`),
  });
  let attempts = 0;
  queue.start(async () => {
    attempts += 1;
    if (attempts < 3) throw new Error(`attempt ${attempts}`);
  });
  queue.add('x');
  await until(() => attempts === 3);
  await queue.stop();
  assert.deepEqual(errors, ['x: attempt 1', 'x: attempt 2']);
});

test('requeueAfter brings the key back', async () => {
  const queue = new WorkQueue({ workers: 1, backoff: fastRetry });
  let runs = 0;
  queue.start(async () => {
    runs += 1;
    return runs === 1 ? { requeueAfterMs: 2 } : undefined;
  });
  queue.add('timer');
  await until(() => runs === 2);
  await queue.stop();
});

test('a key that asks to run again at once still lets I/O through', async () => {
  const queue = new WorkQueue({ workers: 1, backoff: fastRetry });
  let runs = 0;
  let ioDone = false;
  // The handler keeps asking for more until the I/O it waits on has completed (a background check).
  queue.start(async () => {
    runs += 1;
    return ioDone ? undefined : { requeueAfterMs: 0 };
  });
  queue.add('spinner');
  setImmediate(() => (ioDone = true));
  await until(() => ioDone);
  await queue.stop();
  assert.ok(runs >= 1);
});

test('one failing key does not hold up others', async () => {
  const queue = new WorkQueue({ workers: 1, backoff: { baseMs: 60_000, maxMs: 60_000, jitter: 0 } });
  const done: string[] = [];
  queue.start(async (key) => {
    if (key === 'bad') throw new Error('broken object');
    done.push(key);
  });
  queue.add('bad');
  queue.add('good-1');
  queue.add('good-2');
  await until(() => done.length === 2);
  await queue.stop();
  assert.deepEqual(done, ['good-1', 'good-2']);
});
