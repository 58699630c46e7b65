import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkRef,
  fallbackRefName,
  lsRemoteQuery,
  parseLsRemote,
  pickRevision,
  pickSemverTag,
  type GitRef,
} from '../../../src/gitsync/source/git-ref.ts';
import { SyncError } from '../../../src/gitsync/sync-error.ts';

const sha = (digit: string) => digit.repeat(40);

// What `git ls-remote --symref` prints for a repository with a branch, an annotated and a lightweight tag.
const listing = parseLsRemote(
  [
    `ref: refs/heads/main\tHEAD`,
    `${sha('1')}\tHEAD`,
    `${sha('1')}\trefs/heads/main`,
    `${sha('2')}\trefs/heads/feature/main`,
    `${sha('3')}\trefs/heads/release`,
    `${sha('a')}\trefs/tags/v1.0.0`,
    `${sha('4')}\trefs/tags/v1.0.0^{}`,
    `${sha('5')}\trefs/tags/1.1.0`,
    `${sha('b')}\trefs/tags/v1.2.0`,
    `${sha('6')}\trefs/tags/v1.2.0^{}`,
    `${sha('7')}\trefs/tags/v2.0.0-rc.1`,
    `${sha('8')}\trefs/tags/latest`,
    '',
  ].join('\n'),
);

test('each kind of ref asks ls-remote for what answers it', () => {
  const cases: [GitRef | undefined, ReturnType<typeof lsRemoteQuery>][] = [
    [undefined, { options: ['--symref'], patterns: ['HEAD'] }],
    [{}, { options: ['--symref'], patterns: ['HEAD'] }],
    [{ branch: 'main' }, { options: [], patterns: ['refs/heads/main'] }],
    [{ tag: 'v1.0.0' }, { options: [], patterns: ['refs/tags/v1.0.0', 'refs/tags/v1.0.0^{}'] }],
    [{ semver: '^1' }, { options: ['--tags'], patterns: [] }],
    [{ commit: 'abcdef1' }, undefined],
    [{ branch: 'main', commit: sha('c') }, undefined],
  ];
  for (const [ref, query] of cases) assert.deepEqual(lsRemoteQuery(ref), query, JSON.stringify(ref));
});

test('picks the revision each ref names', () => {
  const cases: [GitRef | undefined, { commit: string; refName: string }][] = [
    [undefined, { commit: sha('1'), refName: 'refs/heads/main' }],
    [{ branch: 'main' }, { commit: sha('1'), refName: 'refs/heads/main' }],
    [{ branch: 'feature/main' }, { commit: sha('2'), refName: 'refs/heads/feature/main' }],
    [{ tag: 'v1.0.0' }, { commit: sha('4'), refName: 'refs/tags/v1.0.0' }],
    [{ tag: 'latest' }, { commit: sha('8'), refName: 'refs/tags/latest' }],
    [{ semver: '>=1.0.0 <1.2.0' }, { commit: sha('5'), refName: 'refs/tags/1.1.0' }],
    [{ semver: '^1' }, { commit: sha('6'), refName: 'refs/tags/v1.2.0' }],
    [{ semver: '~1.0' }, { commit: sha('4'), refName: 'refs/tags/v1.0.0' }],
    [{ commit: sha('c') }, { commit: sha('c'), refName: sha('c') }],
    [
      { branch: 'main', commit: sha('c') },
      { commit: sha('c'), refName: 'refs/heads/main' },
    ],
  ];
  for (const [ref, expected] of cases) assert.deepEqual(pickRevision(ref, listing, 'the repo'), expected, JSON.stringify(ref));
});

test('a branch matches its full name only, never a longer one ending the same', () => {
  const onlyNested = parseLsRemote(`${sha('2')}\trefs/heads/feature/main\n`);
  assert.throws(() => pickRevision({ branch: 'main' }, onlyNested, 'the repo'), /branch "main" was not found in the repo/);
});

test('semver skips pre-releases and tags that are no version', () => {
  assert.deepEqual(pickSemverTag('>=2.0.0-0', listing.refs), { commit: sha('7'), refName: 'refs/tags/v2.0.0-rc.1' });
  assert.equal(pickSemverTag('>=2', listing.refs), undefined);
  assert.equal(pickSemverTag('*', parseLsRemote(`${sha('8')}\trefs/tags/latest\n`).refs), undefined);
});

test('semver picks one of two spellings of the same version every time', () => {
  const both = parseLsRemote(`${sha('1')}\trefs/tags/v1.0.0\n${sha('2')}\trefs/tags/1.0.0\n`);
  assert.deepEqual(pickSemverTag('1.0.0', both.refs), { commit: sha('2'), refName: 'refs/tags/1.0.0' });
});

test('what is missing on the remote is said plainly', () => {
  const empty = parseLsRemote('');
  assert.throws(() => pickRevision({ branch: 'dev' }, listing, 'the repo'), /fetch failed: branch "dev" was not found in the repo/);
  assert.throws(() => pickRevision({ tag: 'v9' }, listing, 'the repo'), /tag "v9" was not found in the repo/);
  assert.throws(() => pickRevision({ semver: '>=3' }, listing, 'the repo'), /no tag of the repo matches the semver range ">=3"/);
  assert.throws(() => pickRevision(undefined, empty, 'the repo'), /the repo has no HEAD/);
});

test('ref values git could read as an option, or that are no ref, are refused', () => {
  const refused: GitRef[] = [
    { branch: '-b' },
    { branch: '--upload-pack=x' },
    { tag: '-t' },
    { branch: 'a..b' },
    { branch: 'a b' },
    { branch: 'main^' },
    { branch: 'x:y' },
    { branch: 'main/' },
    { branch: 'a.lock' },
    { semver: 'not a range' },
    { semver: '-1' },
    { commit: 'HEAD~1' },
    { branch: 'main', tag: 'v1' },
  ];
  for (const ref of refused) {
    assert.throws(
      () => checkRef(ref),
      (error: unknown) => error instanceof SyncError && error.stage === 'fetch',
      JSON.stringify(ref),
    );
  }
  for (const ref of [
    undefined,
    { branch: 'feature/x-1' },
    { tag: 'v1.2.3' },
    { semver: '>=1.2.0 <2' },
    { branch: 'main', commit: 'abcdef1' },
  ]) {
    assert.doesNotThrow(() => checkRef(ref), JSON.stringify(ref));
  }
});

test('when a server will not serve a commit by SHA, the ref it came from is fetched', () => {
  assert.equal(fallbackRefName({ branch: 'main', commit: sha('c') }), 'refs/heads/main');
  assert.equal(fallbackRefName({ tag: 'v1' }), 'refs/tags/v1');
  assert.equal(fallbackRefName({ semver: '^1' }, 'refs/tags/v1.2.0'), 'refs/tags/v1.2.0');
  assert.equal(fallbackRefName({ commit: sha('c') }), 'HEAD');
  assert.equal(fallbackRefName(undefined), 'HEAD');
});
