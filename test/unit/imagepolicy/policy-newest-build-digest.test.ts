import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needsCreatedDates } from '../../../src/imagepolicy/policy/policy-kind.ts';
import type { CandidateTag } from '../../../src/imagepolicy/policy/policy-spec.ts';
import { selectVersion } from '../../../src/imagepolicy/policy/select-version.ts';

const asCandidates = (tags: string[]): CandidateTag[] => tags.map((tag) => ({ tag, value: tag }));
const created = (dates: Record<string, string>) => new Map(Object.entries(dates).map(([tag, date]) => [tag, new Date(date)]));

test('newestBuild: picks the most recently created image, whatever the tags say', () => {
  const result = selectVersion({ newestBuild: {} }, asCandidates(['zzz', 'v9.9.9', 'abc']), {
    created: created({ zzz: '2024-01-01T00:00:00Z', 'v9.9.9': '2023-06-01T00:00:00Z', abc: '2024-03-01T12:00:00Z' }),
  });
  assert.equal(result.chosen?.tag, 'abc');
  assert.equal(result.reason, 'newest build of 3 tags with a creation date');
});

test('newestBuild: a tag without a creation date is skipped, not fatal', () => {
  const result = selectVersion({ newestBuild: {} }, asCandidates(['old', 'undated', 'broken']), {
    created: created({ old: '2020-01-01T00:00:00Z', broken: 'not a date' }),
  });
  assert.equal(result.chosen?.tag, 'old');
  assert.deepEqual(result.skipped, [
    { tag: 'undated', reason: 'has no image creation date' },
    { tag: 'broken', reason: 'has no image creation date' },
  ]);
});

test('newestBuild: without any dates nothing is chosen', () => {
  const result = selectVersion({ newestBuild: {} }, asCandidates(['a', 'b']));
  assert.equal(result.chosen, undefined);
  assert.equal(result.reason, 'no tag of 2 has an image creation date');
});

test('newestBuild: builds of the same instant are decided by the tag, in any listing order', () => {
  const dates = { 'sha-aaa': '2024-01-01T00:00:00Z', 'sha-bbb': '2024-01-01T00:00:00Z', 'sha-000': '2023-01-01T00:00:00Z' };
  const forward = selectVersion({ newestBuild: {} }, asCandidates(['sha-aaa', 'sha-bbb', 'sha-000']), { created: created(dates) });
  const backward = selectVersion({ newestBuild: {} }, asCandidates(['sha-000', 'sha-bbb', 'sha-aaa']), { created: created(dates) });
  assert.equal(forward.chosen?.tag, 'sha-bbb');
  assert.equal(backward.chosen?.tag, 'sha-bbb');
});

test('needsCreatedDates: only newestBuild needs image config dates', () => {
  assert.equal(needsCreatedDates({ newestBuild: {} }), true);
  assert.equal(needsCreatedDates({ semver: { range: '*' } }), false);
  assert.equal(needsCreatedDates({ digest: { tag: 'main' } }), false);
  assert.equal(needsCreatedDates({ alphabetical: {} }), false);
  assert.equal(needsCreatedDates({ numerical: {} }), false);
  assert.equal(needsCreatedDates({}), false);
});

const digestCases: { name: string; tags: string[]; chosen: string | undefined; reason: string }[] = [
  { name: 'tag present', tags: ['v1.0.0', 'main', 'latest'], chosen: 'main', reason: 'follows tag "main"' },
  { name: 'tag absent', tags: ['v1.0.0', 'latest'], chosen: undefined, reason: 'tag "main" is not among the 2 candidate tags' },
  { name: 'no tags at all', tags: [], chosen: undefined, reason: 'tag "main" is not among the 0 candidate tags' },
  {
    name: 'a prefix is not the tag',
    tags: ['main-abc1234', 'mainline'],
    chosen: undefined,
    reason: 'tag "main" is not among the 2 candidate tags',
  },
];
for (const c of digestCases) {
  test(`digest: ${c.name}`, () => {
    const result = selectVersion({ digest: { tag: 'main' } }, asCandidates(c.tags));
    assert.equal(result.chosen?.tag, c.chosen);
    assert.equal(result.reason, c.reason);
    assert.deepEqual(result.skipped, []);
  });
}
