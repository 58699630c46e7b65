import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchesGlob } from '../../../src/imagepolicy/policy/glob.ts';

const cases: [pattern: string, text: string, matches: boolean][] = [
  ['latest', 'latest', true],
  ['latest', 'latest-1', false],
  ['*-rc*', 'v1.0.0-rc1', true],
  ['*-rc*', 'v1.0.0-rc', true],
  ['*-rc*', 'v1.0.0', false],
  ['*', '', true],
  ['', '', true],
  ['', 'a', false],
  ['v?.?', 'v1.2', true],
  ['v?.?', 'v1.23', false],
  ['v?', 'v', false],
  ['a*b*c', 'aXXbYYc', true],
  ['a*b*c', 'aXXcYYb', false],
  ['*a', 'banana', true],
  ['*an', 'banana', false],
  // Regex metacharacters mean themselves.
  ['v1.0', 'v1x0', false],
  ['main-[abc]', 'main-[abc]', true],
  ['main-[abc]', 'main-a', false],
  ['a+', 'aa', false],
];

for (const [pattern, text, matches] of cases) {
  test(`matchesGlob(${JSON.stringify(pattern)}, ${JSON.stringify(text)}) is ${matches}`, () => {
    assert.equal(matchesGlob(pattern, text), matches);
  });
}

test('matchesGlob: many stars against a long near-miss stays fast', () => {
  const started = performance.now();
  assert.equal(matchesGlob('*a*a*a*a*a*a*a*a*b', 'a'.repeat(128)), false);
  assert.ok(performance.now() - started < 100);
});
