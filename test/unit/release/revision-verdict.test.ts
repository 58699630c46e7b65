// The verdict of a commit for CI, as a table of GitSync and Canary statuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary, CanaryStatusType } from '../../../src/api/canary.ts';
import type { GitSync } from '../../../src/api/git-sync.ts';
import { matchingRevisions, parseRevision, sameCommit } from '../../../src/release/revision-match.ts';
import {
  canaryRevisionVerdict,
  gitSyncRevisionVerdict,
  revisionVerdict,
  type RevisionState,
} from '../../../src/release/revision-verdict.ts';

type GitSyncStatus = NonNullable<GitSync['status']>;
type Entry = NonNullable<GitSyncStatus['releases']>[number];

const GOOD = 'a1b2c3d' + '4'.repeat(33);
const NEXT = 'beef000' + '5'.repeat(33);
const OLD = 'c0ffee0' + '6'.repeat(33);
const TIME = '2026-12-01T10:00:00Z';

function gitSync(status: GitSyncStatus): GitSync {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'GitSync',
    metadata: { name: 'apps', namespace: 'demo' },
    spec: { url: 'https://git.example/apps.git' },
    status,
  } as GitSync;
}

function canary(name: string, status: CanaryStatusType): Canary {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name, namespace: 'demo' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      service: { port: 80 },
      analysis: {
        interval: '1s',
        threshold: 1,
        iterations: 2,
        metrics: [{ name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } }],
        webhooks: [{ name: 'smoke', url: 'http://tests/' }],
      },
    },
    status,
  } as Canary;
}

const entry = (canaryName: string, revision: string, phase: Entry['phase'], extra: Partial<Entry> = {}): Entry => ({
  canary: canaryName,
  namespace: 'demo',
  revision,
  phase,
  time: TIME,
  ...extra,
});
const applied = (revision: string, releases: Entry[] = []): GitSyncStatus => ({
  lastAppliedRevision: revision,
  lastAttemptedRevision: revision,
  history: [{ revision, result: 'Succeeded', time: TIME }],
  releases,
});
/** GOOD applied, then NEXT on top of it. */
const appliedTwice = (releases: Entry[]): GitSyncStatus => ({
  ...applied(NEXT, releases),
  history: [
    { revision: NEXT, result: 'Succeeded', time: TIME },
    { revision: GOOD, result: 'Succeeded', time: TIME },
  ],
});

test('a revision is 7 to 40 hex digits, in any case; an abbreviation matches the full SHA it starts', () => {
  const parsed: [string | undefined, string | undefined][] = [
    ['a1b2c3d', 'a1b2c3d'],
    ['A1B2C3D4', 'a1b2c3d4'],
    [GOOD, GOOD],
    ['a1b2c3', undefined],
    [`${GOOD}0`, undefined],
    ['main', undefined],
    ['a1b2c3g', undefined],
    [undefined, undefined],
  ];
  for (const [text, revision] of parsed) assert.equal(parseRevision(text), revision, String(text));
  assert.ok(sameCommit(GOOD, 'a1b2c3d'));
  assert.ok(sameCommit(GOOD.toUpperCase(), 'a1b2c3d'));
  assert.ok(!sameCommit(GOOD, 'a1b2c3e'));
  assert.ok(!sameCommit('a1b2c3d', GOOD), 'a recorded abbreviation does not match a longer request');
  assert.ok(!sameCommit(undefined, 'a1b2c3d'));
  assert.deepEqual(matchingRevisions('a1b2c3d', [GOOD, GOOD, NEXT]), [GOOD]);
  assert.deepEqual(matchingRevisions('a1b2c3d', [GOOD, `a1b2c3d${'9'.repeat(33)}`]).length, 2, 'ambiguous');
});

test('the verdict of a commit as one GitSync sees it', () => {
  const cases: { name: string; status: GitSyncStatus; revision?: string; state: RevisionState; reason: string; message?: RegExp }[] = [
    {
      name: 'never heard of: pending',
      status: applied(OLD),
      state: 'pending',
      reason: 'NotApplied',
      message: /has not applied a1b2c3d yet \(the GitSync is at c0ffee0\)/,
    },
    { name: 'no status yet: pending', status: {}, state: 'pending', reason: 'NotApplied', message: /at no revision yet/ },
    {
      name: 'being applied: pending',
      status: { ...applied(OLD), lastAttemptedRevision: GOOD },
      state: 'pending',
      reason: 'NotApplied',
      message: /it is being applied/,
    },
    {
      name: 'its sync failed and it was never applied: failed',
      status: {
        ...applied(OLD),
        lastAttemptedRevision: GOOD,
        history: [{ revision: GOOD, result: 'Failed', time: TIME, message: 'render failed: bad YAML' }],
      },
      state: 'failed',
      reason: 'SyncFailed',
      message: /failed to apply a1b2c3d: render failed: bad YAML/,
    },
    {
      name: 'failed once, applied on a later attempt: not a sync failure',
      status: {
        ...applied(GOOD),
        history: [
          { revision: GOOD, result: 'Succeeded', time: TIME },
          { revision: GOOD, result: 'Failed', time: TIME, message: 'conflict' },
        ],
      },
      state: 'succeeded',
      reason: 'NothingToRelease',
    },
    {
      name: 'applied, no release entry: nothing to release, succeeded',
      status: applied(GOOD),
      state: 'succeeded',
      reason: 'NothingToRelease',
    },
    {
      name: 'abbreviated revision matches the applied full SHA',
      status: applied(GOOD),
      revision: 'a1b2c3d',
      state: 'succeeded',
      reason: 'NothingToRelease',
    },
    {
      name: 'applied earlier, a later commit applied since: still applied (history)',
      status: {
        ...applied(NEXT),
        history: [
          { revision: NEXT, result: 'Succeeded', time: TIME },
          { revision: GOOD, result: 'Succeeded', time: TIME },
        ],
      },
      state: 'succeeded',
      reason: 'NothingToRelease',
    },
    {
      name: 'its canary entry is Pending: pending',
      status: applied(GOOD, [entry('web', GOOD, 'Pending')]),
      state: 'pending',
      reason: 'Releasing',
      message: /canary demo\/web is releasing a1b2c3d \(Pending\)/,
    },
    { name: 'Progressing: pending', status: applied(GOOD, [entry('web', GOOD, 'Progressing')]), state: 'pending', reason: 'Releasing' },
    {
      name: 'Succeeded: succeeded',
      status: applied(GOOD, [entry('web', GOOD, 'Succeeded')]),
      state: 'succeeded',
      reason: 'Released',
      message: /released by canary demo\/web/,
    },
    {
      name: 'NotReleased: succeeded, nothing released',
      status: applied(GOOD, [entry('web', GOOD, 'NotReleased')]),
      state: 'succeeded',
      reason: 'NothingToRelease',
    },
    {
      name: 'Failed: failed with the canary reason',
      status: applied(GOOD, [entry('web', GOOD, 'Failed', { reason: 'FailedChecks', message: 'smoke failed' })]),
      state: 'failed',
      reason: 'CanaryFailed',
      message: /canary demo\/web failed to release a1b2c3d \(FailedChecks\): smoke failed/,
    },
    {
      name: 'one Failed, another still Progressing: pending until every canary finished',
      status: applied(GOOD, [entry('api', GOOD, 'Progressing'), entry('web', GOOD, 'Failed')]),
      state: 'pending',
      reason: 'Releasing',
    },
    {
      name: 'one Failed, another Succeeded: failed',
      status: applied(GOOD, [entry('api', GOOD, 'Succeeded'), entry('web', GOOD, 'Failed')]),
      state: 'failed',
      reason: 'CanaryFailed',
    },
    {
      name: 'superseded by a later commit before its canary finished: failed, Superseded',
      status: appliedTwice([entry('web', NEXT, 'Progressing'), entry('web', GOOD, 'Progressing')]),
      state: 'failed',
      reason: 'Superseded',
      message: /superseded by beef000 before its canary finished/,
    },
    {
      name: 'an entry the GitSync marked Superseded: failed, with its message',
      status: appliedTwice([
        entry('web', NEXT, 'Progressing'),
        entry('web', GOOD, 'Superseded', { message: 'a later revision changed the target' }),
      ]),
      state: 'failed',
      reason: 'Superseded',
      message: /a later revision changed the target/,
    },
    {
      name: 'a later commit after its canary finished does not change the verdict',
      status: appliedTwice([entry('web', NEXT, 'Failed'), entry('web', GOOD, 'Succeeded')]),
      state: 'succeeded',
      reason: 'Released',
    },
    {
      name: "another canary's later entry does not supersede",
      status: appliedTwice([entry('api', NEXT, 'Progressing'), entry('web', GOOD, 'Progressing')]),
      state: 'pending',
      reason: 'Releasing',
    },
    {
      name: "an entry of another commit is not this commit's",
      status: applied(GOOD, [entry('web', OLD, 'Failed')]),
      state: 'succeeded',
      reason: 'NothingToRelease',
    },
  ];
  for (const { name, status, revision, state, reason, message } of cases) {
    const verdict = gitSyncRevisionVerdict(revision ?? GOOD, gitSync(status));
    assert.equal(verdict.state, state, name);
    assert.equal(verdict.reason, reason, name);
    if (message) assert.match(verdict.message, message, name);
  }
});

test('the verdict names the full SHA, the GitSync and each canary with its phase', () => {
  const verdict = gitSyncRevisionVerdict(
    'a1b2c3d',
    gitSync(applied(GOOD, [entry('api', GOOD, 'NotReleased'), entry('web', GOOD, 'Succeeded')])),
  );
  assert.equal(verdict.revision, GOOD);
  assert.deepEqual(verdict.gitSyncs, [
    { gitSync: 'demo/apps', state: 'succeeded', applied: true, reason: 'Applied', message: 'gitsync demo/apps applied a1b2c3d' },
  ]);
  assert.deepEqual(
    verdict.canaries.map((canaryVerdict) => [canaryVerdict.canary, canaryVerdict.phase, canaryVerdict.state]),
    [
      ['demo/api', 'NotReleased', 'succeeded'],
      ['demo/web', 'Succeeded', 'succeeded'],
    ],
  );
  assert.equal(verdict.message, 'a1b2c3d applied by gitsync demo/apps; released by canary demo/web');
});

test("a failed entry carries the failed checks of the Canary's run of that commit, with value and threshold", () => {
  const failedRun = canary('web', {
    phase: 'Failed',
    reason: 'FailedChecks',
    release: { gitSync: 'demo/apps', revision: GOOD },
    checks: [
      { name: 'smoke', kind: 'webhook', passed: false, reason: 'Rejected', message: 'HTTP 500', time: TIME },
      { name: 'request-success-rate', kind: 'metric', passed: false, value: 42.5, reason: 'BelowThreshold', time: TIME },
      { name: 'request-success-rate', kind: 'metric', passed: true, value: 100, time: TIME },
    ],
  });
  const status = applied(GOOD, [entry('web', GOOD, 'Failed', { reason: 'FailedChecks' })]);
  const verdict = gitSyncRevisionVerdict(GOOD, gitSync(status), [failedRun]);
  assert.deepEqual(verdict.canaries[0]?.failedChecks, [
    { name: 'request-success-rate', kind: 'metric', value: 42.5, threshold: '>= 99', reason: 'BelowThreshold' },
    { name: 'smoke', kind: 'webhook (rollout)', reason: 'Rejected', message: 'HTTP 500' },
  ]);

  const laterRun = canary('web', { ...failedRun.status, release: { revision: NEXT } });
  assert.deepEqual(
    gitSyncRevisionVerdict(GOOD, gitSync(status), [laterRun]).canaries[0]?.failedChecks,
    [],
    "checks of another commit's run are not this one's",
  );
  const engineCheck = canary('web', {
    phase: 'Failed',
    release: { revision: GOOD },
    checks: [{ name: 'analysis', kind: 'webhook', passed: false, reason: 'Error', message: 'analysis crashed', time: TIME }],
  });
  assert.deepEqual(gitSyncRevisionVerdict(GOOD, gitSync(status), [engineCheck]).canaries[0]?.failedChecks, [
    { name: 'analysis', kind: 'webhook', reason: 'Error', message: 'analysis crashed' },
  ]);
});

test('the verdict of a commit from a Canary alone', () => {
  const cases: { name: string; status: CanaryStatusType; state: RevisionState; reason: string }[] = [
    { name: 'no run from Git yet: pending', status: { phase: 'Initialized' }, state: 'pending', reason: 'NotStarted' },
    {
      name: "its current run is another commit's: pending",
      status: { phase: 'Succeeded', release: { revision: OLD } },
      state: 'pending',
      reason: 'NotStarted',
    },
    {
      name: 'its run is Progressing: pending',
      status: { phase: 'Progressing', release: { revision: GOOD } },
      state: 'pending',
      reason: 'Releasing',
    },
    {
      name: 'waiting for approval: pending',
      status: { phase: 'Waiting', release: { revision: GOOD } },
      state: 'pending',
      reason: 'Releasing',
    },
    { name: 'Succeeded: succeeded', status: { phase: 'Succeeded', release: { revision: GOOD } }, state: 'succeeded', reason: 'Released' },
    {
      name: 'Failed: failed',
      status: { phase: 'Failed', reason: 'FailedChecks', release: { revision: GOOD } },
      state: 'failed',
      reason: 'CanaryFailed',
    },
    {
      name: 'reverted to the primary before promotion: failed',
      status: { phase: 'Initialized', reason: 'RevertedToPrimary', release: { revision: GOOD } },
      state: 'failed',
      reason: 'CanaryFailed',
    },
  ];
  for (const { name, status, state, reason } of cases) {
    const verdict = canaryRevisionVerdict('a1b2c3d', canary('web', status));
    assert.equal(verdict.state, state, name);
    assert.equal(verdict.reason, reason, name);
  }
});

test('across all GitSyncs and Canaries: those that know the commit, each canary once; none knows it: no verdict', () => {
  const sync = gitSync(applied(GOOD, [entry('web', GOOD, 'Progressing')]));
  const web = canary('web', { phase: 'Failed', release: { revision: GOOD } });
  const api = canary('api', { phase: 'Succeeded', release: { revision: GOOD } });
  const unrelated = canary('old', { phase: 'Succeeded', release: { revision: OLD } });
  const verdict = revisionVerdict('a1b2c3d', [sync], [web, api, unrelated]);
  assert.deepEqual(
    verdict?.canaries.map((canaryVerdict) => `${canaryVerdict.canary} ${canaryVerdict.phase} ${canaryVerdict.state}`),
    ['demo/web Progressing pending', 'demo/api Succeeded succeeded'],
    "the GitSync's entry reports web; api is known from its own run only",
  );
  assert.equal(verdict?.state, 'pending');
  assert.equal(revisionVerdict(NEXT.slice(0, 7), [sync], [web, api]), undefined);
  const otherSync = { ...gitSync(applied(OLD)), metadata: { name: 'other', namespace: 'demo' } } as GitSync;
  assert.deepEqual(
    revisionVerdict(GOOD, [otherSync, sync], [])?.gitSyncs.map((verdict) => verdict.gitSync),
    ['demo/apps'],
    'a GitSync that never saw the commit has no say',
  );
});
