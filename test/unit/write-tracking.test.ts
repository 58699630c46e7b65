import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentApplies, isUpToDate, withAppliedHash } from '../../src/kube/apply-if-changed.ts';
import { StaleCacheGuard } from '../../src/kube/stale-cache-guard.ts';

const object = (resourceVersion: string | undefined, extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'web', namespace: 'shop', ...(resourceVersion ? { resourceVersion } : {}) },
  ...extra,
});

test('an object carrying the hash of the desired state needs no write; any change to the desired state does', () => {
  const desired = object(undefined, { spec: { selector: { app: 'web-primary' } } });
  const applied = { ...withAppliedHash(desired), metadata: { ...withAppliedHash(desired).metadata, resourceVersion: '7' } };
  assert.equal(isUpToDate(applied, desired), true);
  assert.equal(isUpToDate(applied, object(undefined, { spec: { selector: { app: 'web' } } })), false);
  assert.equal(isUpToDate(undefined, desired), false);
});

test('a write not yet in the cache is not repeated, but a later change by someone else is seen', () => {
  const recent = new RecentApplies();
  const before = object('10');
  recent.record('services/shop/web', before, 'hash-a');
  assert.equal(recent.covers('services/shop/web', before, 'hash-a'), true, 'cache still shows what the write replaced');
  assert.equal(recent.covers('services/shop/web', before, 'hash-b'), false, 'a different desired state must be written');
  assert.equal(recent.covers('services/shop/web', object('11'), 'hash-a'), false, 'once the cache moved on, it decides alone');
  recent.record('services/shop/new', undefined, 'hash-c');
  assert.equal(recent.covers('services/shop/new', undefined, 'hash-c'), true, 'a create not yet seen is not repeated');
});

test('the stale-cache guard waits for the version after our own write', () => {
  const guard = new StaleCacheGuard();
  assert.equal(guard.isStale('shop/web', object('5')), false);
  guard.wrote('shop/web', object('5'));
  assert.equal(guard.isStale('shop/web', object('5')), true);
  assert.equal(guard.isStale('shop/web', object('6')), false);
  assert.equal(guard.isStale('shop/web', object('5')), false, 'once caught up, the guard forgets');
});
