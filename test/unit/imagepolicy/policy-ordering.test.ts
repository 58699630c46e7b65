import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareDecimals } from '../../../src/imagepolicy/policy/decimal.ts';
import type { CandidateTag, TagPolicy } from '../../../src/imagepolicy/policy/policy-spec.ts';
import { selectVersion } from '../../../src/imagepolicy/policy/select-version.ts';

const asCandidates = (tags: string[]): CandidateTag[] => tags.map((tag) => ({ tag, value: tag }));

const cases: { name: string; policy: TagPolicy; candidates: CandidateTag[]; chosen: string | undefined }[] = [
  { name: 'alphabetical defaults to asc: the last', policy: { alphabetical: {} }, candidates: asCandidates(['b', 'c', 'a']), chosen: 'c' },
  {
    name: 'alphabetical asc',
    policy: { alphabetical: { order: 'asc' } },
    candidates: asCandidates(['RELEASE.2023-01-02', 'RELEASE.2024-05-01', 'RELEASE.2023-12-31']),
    chosen: 'RELEASE.2024-05-01',
  },
  {
    name: 'alphabetical desc: the first',
    policy: { alphabetical: { order: 'desc' } },
    candidates: asCandidates(['b', 'c', 'a']),
    chosen: 'a',
  },
  // Code-unit order: upper case sorts before lower case, '10' before '9'.
  {
    name: 'alphabetical is code-unit order, not locale order',
    policy: { alphabetical: {} },
    candidates: asCandidates(['a', 'B']),
    chosen: 'a',
  },
  { name: 'alphabetical is not numeric', policy: { alphabetical: {} }, candidates: asCandidates(['9', '10']), chosen: '9' },
  {
    name: 'alphabetical on extracted values',
    policy: { alphabetical: {} },
    candidates: [
      { tag: 'z-1', value: 'a' },
      { tag: 'a-2', value: 'b' },
    ],
    chosen: 'a-2',
  },
  { name: 'alphabetical with no tags', policy: { alphabetical: {} }, candidates: [], chosen: undefined },
  { name: 'numerical defaults to asc: the highest', policy: { numerical: {} }, candidates: asCandidates(['9', '10', '2']), chosen: '10' },
  { name: 'numerical desc: the lowest', policy: { numerical: { order: 'desc' } }, candidates: asCandidates(['9', '10', '2']), chosen: '2' },
  { name: 'numerical decimals', policy: { numerical: {} }, candidates: asCandidates(['1.5', '1.45', '1.05', '1']), chosen: '1.5' },
  { name: 'numerical negatives', policy: { numerical: { order: 'desc' } }, candidates: asCandidates(['-1', '-10', '0']), chosen: '-10' },
  {
    name: 'numerical skips what is not a number',
    policy: { numerical: {} },
    candidates: asCandidates(['latest', '1e9', '0x10', '12', 'v13']),
    chosen: '12',
  },
  { name: 'numerical with no numbers', policy: { numerical: {} }, candidates: asCandidates(['latest', 'main']), chosen: undefined },
  {
    name: 'numerical on extracted unix timestamps',
    policy: { numerical: {} },
    candidates: [
      { tag: 'main-fff0000-1700000000', value: '1700000000' },
      { tag: 'main-abc1234-1700000500', value: '1700000500' },
      { tag: 'main-0000aaa-999999999', value: '999999999' },
    ],
    chosen: 'main-abc1234-1700000500',
  },
  {
    // As doubles these two are the same number; as decimals they are not.
    name: 'numerical beyond double precision',
    policy: { numerical: {} },
    // The tags are named so that falling back to the tag on a false tie would pick the wrong one.
    candidates: [
      { tag: 'a', value: '12345678901234567891' },
      { tag: 'b', value: '12345678901234567890' },
    ],
    chosen: 'a',
  },
];

for (const c of cases) {
  test(`ordering: ${c.name}`, () => {
    assert.equal(selectVersion(c.policy, c.candidates).chosen?.tag, c.chosen);
  });
}

test('ordering: reasons say which end was picked and of how many', () => {
  assert.equal(selectVersion({ alphabetical: {} }, asCandidates(['a', 'b'])).reason, 'highest of 2 tags alphabetically (asc)');
  assert.equal(selectVersion({ numerical: { order: 'desc' } }, asCandidates(['1', '2', 'x'])).reason, 'lowest of 2 numeric tags (desc)');
  assert.equal(selectVersion({ numerical: {} }, asCandidates(['x', 'y'])).reason, 'no tag of 2 is a number');
});

test('ordering: numerical reports the tags it could not read', () => {
  const result = selectVersion({ numerical: {} }, [
    { tag: 'latest', value: 'latest' },
    { tag: 'main-abc', value: '' },
    { tag: '5', value: '5' },
  ]);
  assert.deepEqual(result.skipped, [
    { tag: 'latest', reason: 'is not a number' },
    { tag: 'main-abc', reason: 'extracted value "" is not a number' },
  ]);
});

const decimalCases: [string, string, number][] = [
  ['1', '2', -1],
  ['10', '9', 1],
  ['007', '7', 0],
  ['1.50', '1.5', 0],
  ['1.45', '1.5', -1],
  ['-2', '-10', 1],
  ['-0', '0', 0],
  ['-0.5', '0', -1],
  ['0.001', '0.01', -1],
  ['12345678901234567891', '12345678901234567890', 1],
  ['0.10000000000000000001', '0.1', 1],
];
for (const [a, b, expected] of decimalCases) {
  test(`compareDecimals(${a}, ${b}) is ${expected}`, () => {
    assert.equal(Math.sign(compareDecimals(a, b)), expected);
    assert.equal(Math.sign(compareDecimals(b, a)), -expected || 0);
  });
}
