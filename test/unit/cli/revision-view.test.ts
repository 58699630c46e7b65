// What `wren wait` prints of a verdict, and the flags it refuses before touching any cluster.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RevisionVerdict } from '../../../src/release/revision-verdict.ts';
import { renderVerdict } from '../../../src/cli/revision-view.ts';

const MAIN = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const GOOD = 'a1b2c3d' + '4'.repeat(33);
const NEXT = 'beef000' + '5'.repeat(33);

test('a failed verdict: the GitSync, one line per canary, the failed checks with value and threshold, and the verdict', () => {
  const verdict: RevisionVerdict = {
    revision: GOOD,
    state: 'failed',
    reason: 'CanaryFailed',
    message: 'canary demo/web failed to release a1b2c3d (FailedChecks): 1 failed check',
    gitSyncs: [
      { gitSync: 'demo/apps', state: 'succeeded', applied: true, reason: 'Applied', message: 'gitsync demo/apps applied a1b2c3d' },
    ],
    canaries: [
      { canary: 'demo/api', revision: GOOD, phase: 'Succeeded', state: 'succeeded', failedChecks: [] },
      {
        canary: 'demo/web',
        revision: GOOD,
        phase: 'Failed',
        state: 'failed',
        reason: 'FailedChecks',
        message: '1 failed check',
        failedChecks: [
          { name: 'request-success-rate', kind: 'metric', value: 42.5, threshold: '>= 99', reason: 'BelowThreshold' },
          { name: 'smoke', kind: 'webhook (rollout)', reason: 'Rejected', message: 'HTTP 500' },
        ],
      },
    ],
  };
  assert.equal(
    renderVerdict(verdict),
    [
      'gitsync demo/apps applied a1b2c3d',
      'CANARY     REVISION   PHASE       VERDICT     REASON         MESSAGE',
      'demo/api   a1b2c3d    Succeeded   succeeded',
      'demo/web   a1b2c3d    Failed      failed      FailedChecks   1 failed check',
      '',
      'failed checks of demo/web:',
      '  CHECK                  KIND                VALUE   THRESHOLD   RESULT                  MESSAGE',
      '  request-success-rate   metric              42.50   >= 99       FAIL (BelowThreshold)',
      '  smoke                  webhook (rollout)   -       -           FAIL (Rejected)         HTTP 500',
      '',
      'revision a1b2c3d failed: canary demo/web failed to release a1b2c3d (FailedChecks): 1 failed check',
      '',
    ].join('\n'),
  );
});

test('a superseded run and a commit that released nothing read as such', () => {
  const superseded = renderVerdict({
    revision: GOOD,
    state: 'failed',
    reason: 'Superseded',
    message: 'canary demo/web: superseded by beef000 before its canary finished',
    gitSyncs: [],
    canaries: [
      {
        canary: 'demo/web',
        revision: GOOD,
        phase: 'Progressing',
        state: 'failed',
        reason: 'Superseded',
        message: `superseded by ${NEXT.slice(0, 7)} before its canary finished`,
        failedChecks: [],
      },
    ],
  });
  assert.match(superseded, /^demo\/web\s+a1b2c3d\s+Progressing\s+failed\s+Superseded\s+superseded by beef000 before its canary finished$/m);
  assert.match(superseded, /^revision a1b2c3d failed: canary demo\/web: superseded by beef000/m);
  const nothing = renderVerdict({
    revision: GOOD,
    state: 'succeeded',
    reason: 'NothingToRelease',
    message: 'a1b2c3d applied by gitsync demo/apps; no canary had anything to release',
    gitSyncs: [
      { gitSync: 'demo/apps', state: 'succeeded', applied: true, reason: 'Applied', message: 'gitsync demo/apps applied a1b2c3d' },
    ],
    canaries: [],
  });
  assert.equal(
    nothing,
    'gitsync demo/apps applied a1b2c3d\n\nrevision a1b2c3d succeeded: a1b2c3d applied by gitsync demo/apps; no canary had anything to release\n',
  );
});

test('wren wait refuses bad flags with exit 2 and says which, before touching any cluster', () => {
  const cases: [string[], RegExp][] = [
    [['--gitsync', 'apps'], /--revision is required/],
    [['--revision', 'main', '--gitsync', 'apps'], /--revision "main": give a commit SHA, 7 to 40 hex digits/],
    [['--revision', 'a1b2c3d'], /give one of --gitsync NAME and --canary NAME/],
    [['--revision', 'a1b2c3d', '--gitsync', 'apps', '--canary', 'web'], /give one of --gitsync NAME and --canary NAME/],
    [['--revision', 'a1b2c3d', '--gitsync', 'apps', '--timeout', 'soon'], /--timeout: "soon" is not a duration/],
  ];
  for (const [args, message] of cases) {
    const result = spawnSync(process.execPath, [MAIN, 'wait', ...args, '--kubeconfig', '/nonexistent'], { encoding: 'utf8' });
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, message, args.join(' '));
  }
});
