import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidateTags } from '../../../src/imagepolicy/policy/candidate-tags.ts';
import type { TagFilter } from '../../../src/imagepolicy/policy/policy-spec.ts';

const TAGS = ['latest', 'v1.0.0', 'v1.1.0-rc1', 'main-abc1234-1700000000', 'main-def5678-1700000900', 'feature-x-1700000500'];

const cases: { name: string; filter: TagFilter; candidates: [string, string][] }[] = [
  { name: 'no filter keeps every tag as its own value', filter: {}, candidates: TAGS.map((tag) => [tag, tag]) },
  {
    name: 'allowTags keeps only matches (the seed workflow allows ^main-)',
    filter: { allowTags: '^main-' },
    candidates: [
      ['main-abc1234-1700000000', 'main-abc1234-1700000000'],
      ['main-def5678-1700000900', 'main-def5678-1700000900'],
    ],
  },
  { name: 'allowTags is unanchored unless anchored', filter: { allowTags: 'rc' }, candidates: [['v1.1.0-rc1', 'v1.1.0-rc1']] },
  {
    name: 'ignoreTags globs',
    filter: { ignoreTags: ['*-rc*', 'latest', 'main-*'] },
    candidates: [
      ['v1.0.0', 'v1.0.0'],
      ['feature-x-1700000500', 'feature-x-1700000500'],
    ],
  },
  {
    name: 'ignoreTags wins over allowTags',
    filter: { allowTags: '^v', ignoreTags: ['v1.0.?'] },
    candidates: [['v1.1.0-rc1', 'v1.1.0-rc1']],
  },
  {
    name: 'extract a Go-style named group with $name',
    filter: { filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' } },
    candidates: [
      ['main-abc1234-1700000000', '1700000000'],
      ['main-def5678-1700000900', '1700000900'],
    ],
  },
  {
    name: 'extract with ${name}',
    filter: { filterTags: { pattern: '-(?P<ts>[0-9]+)$', extract: 'ts=${ts}' } },
    candidates: [
      ['main-abc1234-1700000000', 'ts=1700000000'],
      ['main-def5678-1700000900', 'ts=1700000900'],
      ['feature-x-1700000500', 'ts=1700000500'],
    ],
  },
  {
    name: 'extract with JS named group and numbered groups',
    filter: { filterTags: { pattern: '^(?<branch>[a-z]+)-([a-f0-9]{7})-([0-9]+)$', extract: '$3.$2@${branch}' } },
    candidates: [
      ['main-abc1234-1700000000', '1700000000.abc1234@main'],
      ['main-def5678-1700000900', '1700000900.def5678@main'],
    ],
  },
  {
    name: '$0 is the whole match and $$ a dollar',
    filter: { filterTags: { pattern: 'v[0-9.]+', extract: '$$$0' } },
    candidates: [
      ['v1.0.0', '$v1.0.0'],
      ['v1.1.0-rc1', '$v1.1.0'],
    ],
  },
  {
    name: 'a pattern without extract keeps the tag as value',
    filter: { filterTags: { pattern: '^v' } },
    candidates: [
      ['v1.0.0', 'v1.0.0'],
      ['v1.1.0-rc1', 'v1.1.0-rc1'],
    ],
  },
  {
    name: 'an optional group that did not take part extracts as empty',
    filter: { filterTags: { pattern: '^v1\\.[01]\\.0(-rc(\\d))?$', extract: '$2' } },
    candidates: [
      ['v1.0.0', ''],
      ['v1.1.0-rc1', '1'],
    ],
  },
];

for (const c of cases) {
  test(`candidateTags: ${c.name}`, () => {
    const { candidates, skipped } = candidateTags(TAGS, c.filter);
    assert.deepEqual(
      candidates.map(({ tag, value }) => [tag, value]),
      c.candidates,
    );
    // Every tag is either a candidate or skipped, never lost or doubled.
    assert.deepEqual([...candidates.map((x) => x.tag), ...skipped.map((x) => x.tag)].sort(), [...TAGS].sort());
  });
}

test('candidateTags: each skipped tag says which filter left it out, as the user wrote it', () => {
  const { skipped } = candidateTags(['latest', 'v1', 'main-x', 'main-1'], {
    ignoreTags: ['latest'],
    allowTags: '^main-',
    filterTags: { pattern: '^main-(?P<n>[0-9]+)$', extract: '$n' },
  });
  assert.deepEqual(skipped, [
    { tag: 'latest', reason: 'matches ignoreTags "latest"' },
    { tag: 'v1', reason: 'does not match allowTags "^main-"' },
    { tag: 'main-x', reason: 'does not match filterTags.pattern "^main-(?P<n>[0-9]+)$"' },
  ]);
});

test('candidateTags: an invalid filter that slipped past validation leaves every tag out with the problem', () => {
  const result = candidateTags(['a', 'b'], { allowTags: '(' });
  assert.deepEqual(result.candidates, []);
  assert.deepEqual(result.skipped, [
    { tag: 'a', reason: 'allowTags: invalid regular expression: Unterminated group' },
    { tag: 'b', reason: 'allowTags: invalid regular expression: Unterminated group' },
  ]);
});

test('candidateTags: (?P< inside a character class or after a backslash is left alone', () => {
  // `\(?P<` is an optional literal "(" then "P<"; rewriting it would change what matches.
  const { candidates } = candidateTags(['P<x', '(P<x', 'x'], { filterTags: { pattern: '^\\(?P<x$' } });
  assert.deepEqual(
    candidates.map((c) => c.tag),
    ['P<x', '(P<x'],
  );
});

test('candidateTags: (?P< inside a character class is a set of characters, not a group', () => {
  const { candidates } = candidateTags(['P', '(', 'x'], { filterTags: { pattern: '^[(?P<]$' } });
  assert.deepEqual(
    candidates.map((c) => c.tag),
    ['P', '('],
  );
});
