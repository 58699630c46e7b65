import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenCache, tokenLifetimeMs } from '../../../src/imagepolicy/registry/token-cache.ts';

const key = { realm: 'https://auth.example/token', service: 'registry', scope: 'repository:team/app:pull' };

test('TokenCache: a token is reused until shortly before it expires', () => {
  let now = 1_000_000;
  const cache = new TokenCache(() => now);
  cache.set(key, 'token-1', 300);
  now += 294_000;
  assert.equal(cache.get(key), 'token-1');
  now += 2_000; // 296s: within the 5s margin before expiry
  assert.equal(cache.get(key), undefined);
});

test('TokenCache: tokens are kept apart by realm, service and scope', () => {
  const cache = new TokenCache(() => 0);
  cache.set(key, 'pull-token', 300);
  assert.equal(cache.get({ ...key, scope: 'repository:team/app:pull,push' }), undefined);
  assert.equal(cache.get({ ...key, service: 'other' }), undefined);
  assert.equal(cache.get({ ...key, realm: 'https://other.example/token' }), undefined);
  assert.equal(cache.get({ ...key }), 'pull-token');
});

test('TokenCache: delete forgets a token the registry refused', () => {
  const cache = new TokenCache(() => 0);
  cache.set(key, 'token', 300);
  cache.delete(key);
  assert.equal(cache.get(key), undefined);
});

const lifetimes: { expiresIn: number | undefined; ms: number }[] = [
  { expiresIn: undefined, ms: 55_000 }, // the spec's default of 60s, less the margin
  { expiresIn: 0, ms: 55_000 },
  { expiresIn: -5, ms: 55_000 },
  { expiresIn: Number.NaN, ms: 55_000 },
  { expiresIn: 300, ms: 295_000 },
  { expiresIn: 4, ms: 2_000 }, // short-lived: half its life as margin
];

for (const { expiresIn, ms } of lifetimes) {
  test(`tokenLifetimeMs: expires_in ${expiresIn} → ${ms}ms`, () => {
    assert.equal(tokenLifetimeMs(expiresIn), ms);
  });
}
