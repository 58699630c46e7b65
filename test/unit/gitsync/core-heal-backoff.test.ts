import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HealBackoff } from '../../../src/gitsync/heal-backoff.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const KEY = 'apps/Deployment/shop/web';

test('the first correction is immediate', () => {
  assert.equal(new HealBackoff().waitFor(KEY, 1_000_000), 0);
});

test('after a correction the next one waits 10 s, counted from the correction', () => {
  const backoff = new HealBackoff();
  backoff.record(KEY, 0);
  assert.equal(backoff.waitFor(KEY, 0), 10 * SECOND);
  assert.equal(backoff.waitFor(KEY, 4 * SECOND), 6 * SECOND);
  assert.equal(backoff.waitFor(KEY, 10 * SECOND), 0);
  assert.equal(backoff.waitFor(KEY, 11 * SECOND), 0);
});

test('a correction that keeps being undone waits twice as long each time, up to 10 min', () => {
  const backoff = new HealBackoff();
  let now = 0;
  const waits: number[] = [];
  for (let correction = 0; correction < 10; correction += 1) {
    const wait = backoff.waitFor(KEY, now);
    waits.push(wait);
    now += wait;
    backoff.record(KEY, now);
  }
  assert.deepEqual(
    waits.map((wait) => wait / SECOND),
    [0, 10, 20, 40, 80, 160, 320, 600, 600, 600],
  );
});

test('after 15 min without a correction the object starts again at immediate, then 10 s', () => {
  const backoff = new HealBackoff();
  let now = 0;
  for (let correction = 0; correction < 6; correction += 1) {
    now += backoff.waitFor(KEY, now);
    backoff.record(KEY, now);
  }
  assert.equal(backoff.waitFor(KEY, now), 320 * SECOND);
  const quiet = now + 15 * MINUTE + 1;
  assert.equal(backoff.waitFor(KEY, quiet), 0);
  backoff.record(KEY, quiet);
  assert.equal(backoff.waitFor(KEY, quiet), 10 * SECOND);
});

test('a correction within 15 min keeps counting up', () => {
  const backoff = new HealBackoff();
  backoff.record(KEY, 0);
  backoff.record(KEY, 14 * MINUTE);
  assert.equal(backoff.waitFor(KEY, 14 * MINUTE), 20 * SECOND);
});

test('objects back off independently', () => {
  const backoff = new HealBackoff();
  backoff.record(KEY, 0);
  backoff.record(KEY, 10 * SECOND);
  assert.equal(backoff.waitFor(KEY, 10 * SECOND), 20 * SECOND);
  assert.equal(backoff.waitFor('v1/ConfigMap/shop/settings', 10 * SECOND), 0);
  backoff.record('v1/ConfigMap/shop/settings', 10 * SECOND);
  assert.equal(backoff.waitFor('v1/ConfigMap/shop/settings', 10 * SECOND), 10 * SECOND);
  assert.equal(backoff.waitFor(KEY, 10 * SECOND), 20 * SECOND);
});
