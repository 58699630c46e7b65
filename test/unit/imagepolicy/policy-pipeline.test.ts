import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidateTags } from '../../../src/imagepolicy/policy/candidate-tags.ts';
import type { TagFacts, TagFilter, TagPolicy } from '../../../src/imagepolicy/policy/policy-spec.ts';
import { selectVersion } from '../../../src/imagepolicy/policy/select-version.ts';

// Filters then ordering, as the controller will call them.
function pick(tags: string[], policy: TagPolicy & TagFilter, facts?: TagFacts) {
  const { candidates, skipped } = candidateTags(tags, policy);
  const selection = selectVersion(policy, candidates, facts);
  return { ...selection, skipped: [...skipped, ...selection.skipped] };
}

const SEED_TAGS = [
  'latest',
  'main',
  'main-abc1234-1700000000',
  'main-def5678-1700000900',
  'main-0123abc-1699999999',
  'pr-42-9999999999',
  'v1.0.0',
];
const SEED_POLICY: TagPolicy & TagFilter = {
  numerical: { order: 'asc' },
  allowTags: '^main-',
  filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' },
};

test('pipeline: the seed workflow picks the newest main build by its timestamp', () => {
  const result = pick(SEED_TAGS, SEED_POLICY);
  assert.equal(result.chosen?.tag, 'main-def5678-1700000900');
  assert.equal(result.reason, 'highest of 3 numeric tags (asc)');
  // pr-42 carries the biggest number but is not a main build.
  assert.ok(result.skipped.some((s) => s.tag === 'pr-42-9999999999' && s.reason === 'does not match allowTags "^main-"'));
});

test('pipeline: the choice does not depend on the order the registry lists tags in', () => {
  const policies: [TagPolicy & TagFilter, TagFacts?][] = [
    [SEED_POLICY],
    [{ semver: { range: '*' } }],
    [{ alphabetical: {} }],
    [{ alphabetical: { order: 'desc' } }],
    [{ numerical: {}, filterTags: { pattern: '(?P<n>[0-9]{4})', extract: '$n' } }],
    [{ newestBuild: {} }, { created: new Map(SEED_TAGS.map((tag) => [tag, new Date('2024-01-01T00:00:00Z')])) }],
  ];
  const tags = [...SEED_TAGS, '1.0.0', 'v1.0.0+build.2', 'v1.0.0+build.1'];
  for (const [policy, facts] of policies) {
    const expected = pick(tags, policy, facts).chosen?.tag;
    assert.ok(expected, `${JSON.stringify(policy)} chooses something`);
    for (const order of [[...tags].reverse(), rotate(tags, 3), rotate(tags, 5)]) {
      assert.equal(pick(order, policy, facts).chosen?.tag, expected, JSON.stringify(policy));
    }
  }
});

function rotate<T>(items: T[], by: number): T[] {
  return [...items.slice(by), ...items.slice(0, by)];
}
