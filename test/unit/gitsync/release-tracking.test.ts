// How a GitSync follows the canary runs of the revisions it applied, as tables: each entry from
// Pending to the Canary's verdict, or to NotReleased / Superseded; which failures want a revert; and
// the Ready/health a failed release gives the GitSync.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary } from '../../../src/api/canary.ts';
import type { GitSync } from '../../../src/api/git-sync.ts';
import {
  failedRelease,
  RELEASE_LIMIT,
  revertsDue,
  trackReleases,
  type ReleaseEntry,
  type ReleaseFacts,
  type TargetView,
} from '../../../src/gitsync/release-tracking.ts';
import { withReleases } from '../../../src/gitsync/sync-status.ts';

const NOW = new Date('2026-12-01T10:00:00Z');
const EARLIER = '2026-12-01T09:00:00Z';

function canary(status: NonNullable<Canary['status']>): Canary {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name: 'web', namespace: 'apps' },
    spec: { targetRef: { name: 'web' } },
    status,
  } as Canary;
}
const pending = (revision: string): ReleaseEntry => ({ canary: 'web', namespace: 'apps', revision, phase: 'Pending', time: EARLIER });
const facts = (found: Canary | undefined, target?: TargetView, applied?: ReleaseFacts['applied']): ReleaseFacts => ({
  gitSync: 'apps/site',
  ...(applied ? { applied } : {}),
  canary: () => found,
  target: () => target,
  now: NOW,
});
const released = (revision: string, phase: NonNullable<Canary['status']>['phase'], extra: object = {}) =>
  canary({ phase, release: { gitSync: 'apps/site', revision }, observedTargetGeneration: 4, ...extra });

const cases: [string, ReleaseEntry[], ReleaseFacts, Partial<ReleaseEntry>[]][] = [
  [
    'an applied revision that changed a target starts a Pending entry, newest first',
    [{ ...pending('c1'), phase: 'Succeeded' }],
    facts(undefined, undefined, { revision: 'c2', canaries: [{ name: 'web', namespace: 'apps' }] }),
    [
      { revision: 'c2', phase: 'Pending', time: '2026-12-01T10:00:00Z' },
      { revision: 'c1', phase: 'Succeeded' },
    ],
  ],
  [
    'the same revision applied again adds nothing',
    [pending('c2')],
    facts(undefined, undefined, { revision: 'c2', canaries: [{ name: 'web', namespace: 'apps' }] }),
    [{ revision: 'c2', phase: 'Pending', time: EARLIER }],
  ],
  ['a Canary not in the cache yet leaves the entry Pending', [pending('c2')], facts(undefined), [{ phase: 'Pending' }]],
  [
    'the Canary runs the revision: Progressing, with its reason',
    [pending('c2')],
    facts(released('c2', 'Progressing', { reason: 'NewRevision' })),
    [{ phase: 'Progressing', reason: 'NewRevision', time: '2026-12-01T10:00:00Z' }],
  ],
  [
    'the run failed: Failed with the reason and message',
    [{ ...pending('c2'), phase: 'Progressing' }],
    facts(released('c2', 'Failed', { reason: 'FailedChecks', message: 'smoke: HTTP 500' })),
    [{ phase: 'Failed', reason: 'FailedChecks', message: 'smoke: HTTP 500' }],
  ],
  ['the run succeeded', [{ ...pending('c2'), phase: 'Progressing' }], facts(released('c2', 'Succeeded')), [{ phase: 'Succeeded' }]],
  [
    "another GitSync's run of the same commit is not this one's",
    [pending('c2')],
    facts(canary({ phase: 'Progressing', release: { gitSync: 'apps/other', revision: 'c2' } })),
    [{ phase: 'Pending' }],
  ],
  [
    'finished entries never change again',
    [{ ...pending('c2'), phase: 'Failed', reason: 'FailedChecks' }],
    facts(released('c2', 'Succeeded')),
    [{ phase: 'Failed', reason: 'FailedChecks' }],
  ],
  [
    'a later revision took the Canary first: Superseded',
    [pending('c3'), pending('c2')],
    facts(released('c3', 'Progressing')),
    [
      { revision: 'c3', phase: 'Progressing' },
      { revision: 'c2', phase: 'Superseded' },
    ],
  ],
  [
    'the Canary saw the target at this revision and had nothing to release (a revert to the primary)',
    [pending('c3')],
    facts(released('c2', 'Initialized', { reason: 'RevertedToPrimary' }), { revision: 'c3', generation: 4 }),
    [{ phase: 'NotReleased', message: 'the target is back at the revision the primary runs: nothing to release' }],
  ],
  [
    'the Canary has not seen the new target generation yet: still Pending',
    [pending('c3')],
    facts(released('c2', 'Failed'), { revision: 'c3', generation: 5 }),
    [{ phase: 'Pending' }],
  ],
  [
    'the cache still shows the target at an older revision: still Pending',
    [pending('c3')],
    facts(released('c2', 'Initialized'), { revision: 'c2', generation: 4 }),
    [{ phase: 'Pending' }],
  ],
  [
    'a Canary still initializing is not done with it',
    [pending('c1')],
    facts(canary({ phase: 'Initializing', observedTargetGeneration: 1 }), { revision: 'c1', generation: 1 }),
    [{ phase: 'Pending' }],
  ],
];

for (const [name, previous, given, expected] of cases) {
  test(`trackReleases: ${name}`, () => {
    const next = trackReleases(previous, given);
    assert.equal(next.length, expected.length);
    expected.forEach((want, index) => {
      for (const [field, value] of Object.entries(want))
        assert.equal(next[index]?.[field as keyof ReleaseEntry], value, `${index}.${field}`);
    });
  });
}

test(`trackReleases keeps the newest ${RELEASE_LIMIT} entries`, () => {
  const previous = Array.from({ length: RELEASE_LIMIT }, (_, index) => ({ ...pending(`old${index}`), phase: 'Succeeded' as const }));
  const next = trackReleases(previous, facts(undefined, undefined, { revision: 'new', canaries: [{ name: 'web', namespace: 'apps' }] }));
  assert.equal(next.length, RELEASE_LIMIT);
  assert.equal(next[0]?.revision, 'new');
  assert.equal(next.at(-1)?.revision, `old${RELEASE_LIMIT - 2}`);
});

const sync = (onCanaryFailure?: GitSync['spec']['onCanaryFailure']) =>
  ({
    metadata: { name: 'site', namespace: 'apps', generation: 3 },
    spec: { url: 'git://x', ...(onCanaryFailure ? { onCanaryFailure } : {}) },
  }) as GitSync;
const failed = (revision: string, extra: Partial<ReleaseEntry> = {}): ReleaseEntry => ({
  ...pending(revision),
  phase: 'Failed',
  reason: 'FailedChecks',
  message: 'smoke: HTTP 500',
  ...extra,
});

test('revertsDue: only when asked for, only the latest release of each Canary, only once', () => {
  assert.deepEqual(revertsDue([failed('c2')], sync()), []);
  assert.deepEqual(revertsDue([failed('c2')], sync({ revert: 'commit' })), [failed('c2')]);
  assert.deepEqual(revertsDue([{ ...pending('c3'), phase: 'Progressing' }, failed('c2')], sync({ revert: 'commit' })), []);
  assert.deepEqual(revertsDue([failed('c2', { revert: { branch: 'main', files: [], time: EARLIER } })], sync({ revert: 'branch' })), []);
  const other = { ...failed('c2'), canary: 'api' };
  assert.deepEqual(revertsDue([failed('c3'), other], sync({ revert: 'commit' })), [failed('c3'), other]);
});

test('failedRelease: a failure replaced by a later release of the same Canary no longer counts', () => {
  assert.equal(failedRelease([{ ...pending('c3'), phase: 'NotReleased' }, failed('c2')]), undefined);
  assert.equal(failedRelease([failed('c2')])?.revision, 'c2');
});

const synced: NonNullable<GitSync['status']> = {
  lastAppliedRevision: 'c'.repeat(40),
  health: 'Healthy',
  conditions: [{ type: 'Ready', status: 'True', reason: 'Synced', message: 'applied revision cccccccccccc', lastTransitionTime: EARLIER }],
};

test('withReleases: a failed latest release makes the GitSync Degraded and not Ready, naming the canary, revision and revert', () => {
  const revision = 'f'.repeat(40);
  const status = withReleases(
    sync({ revert: 'branch' }),
    synced,
    [failed(revision, { revert: { branch: 'wren/revert-web-fffffff', commit: 'a'.repeat(40), files: ['web.yaml'], time: EARLIER } })],
    NOW,
  );
  assert.equal(status.health, 'Degraded');
  const ready = status.conditions?.find((condition) => condition.type === 'Ready');
  assert.equal(ready?.status, 'False');
  assert.equal(ready?.reason, 'CanaryFailed');
  assert.equal(
    ready?.message,
    'canary web failed revision ffffffffffff: FailedChecks: smoke: HTTP 500; reverted in aaaaaaaaaaaa on wren/revert-web-fffffff',
  );
});

test('withReleases: a sync failure keeps its own reason; a cleared release failure makes the GitSync Ready again', () => {
  const syncFailed = {
    ...synced,
    conditions: [{ ...synced.conditions![0]!, status: 'False' as const, reason: 'FetchFailed', message: 'no route' }],
  };
  assert.equal(withReleases(sync(), syncFailed, [failed('c2')], NOW).conditions?.[0]?.reason, 'FetchFailed');
  const wasFailed = withReleases(sync(), synced, [failed('c2')], NOW);
  const cleared = withReleases(sync(), wasFailed, [{ ...pending('c3'), phase: 'NotReleased' }, failed('c2')], NOW);
  assert.equal(cleared.conditions?.[0]?.status, 'True');
  assert.equal(cleared.conditions?.[0]?.reason, 'Synced');
});
