import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CandidateTag } from '../../../src/imagepolicy/policy/policy-spec.ts';
import { selectVersion } from '../../../src/imagepolicy/policy/select-version.ts';

const asCandidates = (tags: string[]): CandidateTag[] => tags.map((tag) => ({ tag, value: tag }));

const cases: { name: string; range: string; tags: string[]; chosen: string | undefined }[] = [
  { name: 'newest release', range: '>=1.0.0', tags: ['1.0.0', '1.10.0', '1.9.3', '0.9.0'], chosen: '1.10.0' },
  { name: 'v-prefixed tags parse', range: '>=1.0.0', tags: ['v1.0.0', 'v1.2.0', 'v1.1.9'], chosen: 'v1.2.0' },
  { name: 'v-prefixed and plain tags compare as versions', range: '*', tags: ['v2.0.0', '1.5.0', 'v1.9.0'], chosen: 'v2.0.0' },
  { name: 'upper bound of a caret range', range: '^1.2.0', tags: ['1.2.0', '1.4.7', '2.0.0'], chosen: '1.4.7' },
  { name: 'tilde range', range: '~1.2', tags: ['1.2.0', '1.2.9', '1.3.0'], chosen: '1.2.9' },
  { name: 'prereleases left out by a plain range', range: '>=1.0.0', tags: ['1.0.0', '1.1.0-rc.1'], chosen: '1.0.0' },
  {
    name: 'prerelease admitted when the range names one',
    range: '>=1.1.0-rc.0',
    tags: ['1.0.0', '1.1.0-rc.1', '1.1.0-rc.2'],
    chosen: '1.1.0-rc.2',
  },
  { name: 'release beats its own prerelease', range: '>=1.1.0-rc.0', tags: ['1.1.0-rc.2', '1.1.0'], chosen: '1.1.0' },
  { name: 'non-semver tags skipped', range: '*', tags: ['latest', 'main', '1.2', 'abc1234', '1.0.0'], chosen: '1.0.0' },
  { name: '1.2 is not coerced to 1.2.0', range: '*', tags: ['1.2'], chosen: undefined },
  { name: 'nothing in range', range: '>=2.0.0', tags: ['1.0.0', '1.9.9'], chosen: undefined },
  { name: 'no tags', range: '*', tags: [], chosen: undefined },
];

for (const c of cases) {
  test(`semver: ${c.name}`, () => {
    const result = selectVersion({ semver: { range: c.range } }, asCandidates(c.tags));
    assert.equal(result.chosen?.tag, c.chosen);
  });
}

test('semver: the reason counts matching tags, or all tags when none matches', () => {
  assert.equal(
    selectVersion({ semver: { range: '>=1.0.0' } }, asCandidates(['1.0.0', '1.1.0', 'latest'])).reason,
    'newest of 2 tags matching >=1.0.0',
  );
  assert.equal(
    selectVersion({ semver: { range: '>=2.0.0' } }, asCandidates(['1.0.0', '1.1.0', 'latest'])).reason,
    'no tag of 3 satisfies >=2.0.0',
  );
});

test('semver: every left-out tag is reported with why, the losers of the ordering are not', () => {
  const result = selectVersion({ semver: { range: '>=1.0.0' } }, asCandidates(['latest', '0.9.0', '1.1.0-rc.1', '1.0.0', '1.0.1']));
  assert.equal(result.chosen?.tag, '1.0.1');
  assert.deepEqual(result.skipped, [
    { tag: 'latest', reason: 'is not a semver version' },
    { tag: '0.9.0', reason: '0.9.0 does not satisfy >=1.0.0' },
    { tag: '1.1.0-rc.1', reason: '1.1.0-rc.1 is a prerelease; >=1.0.0 admits prereleases only of a version it names with one' },
  ]);
});

test('semver: orders the extracted value, not the tag', () => {
  const candidates = [
    { tag: 'release-1.9.0-zz', value: '1.9.0' },
    { tag: 'release-1.10.0-aa', value: '1.10.0' },
    { tag: 'release-x-bb', value: 'x' },
  ];
  const result = selectVersion({ semver: { range: '*' } }, candidates);
  assert.equal(result.chosen?.tag, 'release-1.10.0-aa');
  assert.deepEqual(result.skipped, [{ tag: 'release-x-bb', reason: 'extracted value "x" is not a semver version' }]);
});

test('semver: an invalid range chooses nothing and says which field', () => {
  const result = selectVersion({ semver: { range: 'abc' } }, asCandidates(['1.0.0']));
  assert.equal(result.chosen, undefined);
  assert.equal(result.reason, 'policy.semver.range: "abc" is not a valid semver range');
});

test('semver: one version under two spellings is decided by the tag, in any listing order', () => {
  assert.equal(selectVersion({ semver: { range: '*' } }, asCandidates(['1.0.0', 'v1.0.0'])).chosen?.tag, 'v1.0.0');
  assert.equal(selectVersion({ semver: { range: '*' } }, asCandidates(['v1.0.0', '1.0.0'])).chosen?.tag, 'v1.0.0');
});
