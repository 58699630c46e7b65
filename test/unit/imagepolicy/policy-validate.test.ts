import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TagFilter, TagPolicy } from '../../../src/imagepolicy/policy/policy-spec.ts';
import { validatePolicy } from '../../../src/imagepolicy/policy/validate-policy.ts';

const ONE_OF = 'policy: set exactly one of semver, newestBuild, digest, alphabetical, numerical';

const cases: { name: string; policy: TagPolicy & TagFilter; problems: string[] }[] = [
  { name: 'semver', policy: { semver: { range: '>=1.0.0 <2.0.0' } }, problems: [] },
  { name: 'semver with prerelease range', policy: { semver: { range: '>=1.0.0-0' } }, problems: [] },
  { name: 'newestBuild', policy: { newestBuild: {} }, problems: [] },
  { name: 'digest', policy: { digest: { tag: 'main' } }, problems: [] },
  { name: 'alphabetical desc', policy: { alphabetical: { order: 'desc' } }, problems: [] },
  {
    name: 'the seed workflow',
    policy: {
      numerical: { order: 'asc' },
      allowTags: '^main-',
      filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' },
      ignoreTags: ['*-rc*'],
    },
    problems: [],
  },
  { name: 'no policy', policy: {}, problems: [ONE_OF] },
  { name: 'only filters', policy: { allowTags: '^main-' }, problems: [ONE_OF] },
  { name: 'two policies', policy: { semver: { range: '*' }, digest: { tag: 'main' } }, problems: [`${ONE_OF}; got semver and digest`] },
  { name: 'invalid range', policy: { semver: { range: 'abc' } }, problems: ['policy.semver.range: "abc" is not a valid semver range'] },
  {
    name: 'empty range',
    policy: { semver: { range: '' } },
    problems: ['policy.semver.range: must not be empty (write "*" for any version)'],
  },
  {
    name: 'invalid digest tag',
    policy: { digest: { tag: 'has space' } },
    problems: ['policy.digest.tag: "has space" is not a valid image tag'],
  },
  {
    name: 'unknown order',
    policy: { numerical: { order: 'up' as 'asc' } },
    problems: ['policy.numerical.order: must be asc or desc, got "up"'],
  },
  {
    name: 'invalid filterTags.pattern',
    policy: { alphabetical: {}, filterTags: { pattern: '(unclosed' } },
    problems: ['filterTags.pattern: invalid regular expression: Unterminated group'],
  },
  {
    name: 'extract names a group the pattern lacks',
    policy: { numerical: {}, filterTags: { pattern: '-(?P<ts>[0-9]+)$', extract: '$x' } },
    problems: ['filterTags.extract: refers to group "x" which the pattern does not define'],
  },
  {
    name: 'extract numbers a group the pattern lacks',
    policy: { numerical: {}, filterTags: { pattern: '-([0-9]+)$', extract: '$2' } },
    problems: ['filterTags.extract: refers to group "2" which the pattern does not define'],
  },
  {
    // Go reads $tsx as ${tsx}, not ${ts}x; so do we, and say so rather than expanding to ''.
    name: 'extract name runs on as long as it can',
    policy: { numerical: {}, filterTags: { pattern: '-(?P<ts>[0-9]+)$', extract: '$tsx' } },
    problems: ['filterTags.extract: refers to group "tsx" which the pattern does not define'],
  },
  {
    name: 'stray $ in extract',
    policy: { numerical: {}, filterTags: { pattern: '(?P<ts>[0-9]+)', extract: '${ts' } },
    problems: ['filterTags.extract: "$" at position 0 is not followed by a group name (write "$$" for a literal "$")'],
  },
  {
    name: 'invalid allowTags',
    policy: { alphabetical: {}, allowTags: '[' },
    problems: ['allowTags: invalid regular expression: Unterminated character class'],
  },
  {
    name: 'all problems at once',
    policy: { semver: { range: 'abc' }, numerical: {}, allowTags: '(', filterTags: { pattern: '*' } },
    problems: [
      `${ONE_OF}; got semver and numerical`,
      'policy.semver.range: "abc" is not a valid semver range',
      'allowTags: invalid regular expression: Unterminated group',
      'filterTags.pattern: invalid regular expression: Nothing to repeat',
    ],
  },
];

for (const c of cases) {
  test(`validatePolicy: ${c.name}`, () => {
    assert.deepEqual(validatePolicy(c.policy), c.problems);
  });
}
