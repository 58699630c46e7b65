// The live release view and the --until-done verdict, as pure functions of the Canary.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary, CanaryStatusType } from '../../../src/api/canary.ts';
import { latestChecks } from '../../../src/canary/latest-checks.ts';
import { failedVersionServes, releaseOutcome, renderRelease, weightBar } from '../../../src/cli/release-view.ts';

const now = new Date('2026-11-30T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

function canary(status: CanaryStatusType): Canary {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name: 'web', namespace: 'demo' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      service: { port: 80 },
      analysis: {
        interval: '10s',
        threshold: 2,
        stepWeight: 25,
        maxWeight: 75,
        metrics: [
          { name: 'request-success-rate', interval: '10s', thresholdRange: { min: 99 } },
          { name: 'request-duration', interval: '10s', thresholdRange: { max: 500 } },
        ],
        webhooks: [{ name: 'users', type: 'pre-rollout', url: 'http://loadtester/' }],
      },
    },
    status,
  } as Canary;
}

test('the weight bar fills in proportion to the weight, clamped to 0..100', () => {
  const cases: [number, string][] = [
    [0, '[--------------------]   0%'],
    [25, '[#####---------------]  25%'],
    [50, '[##########----------]  50%'],
    [100, '[####################] 100%'],
    [140, '[####################] 100%'],
    [-5, '[--------------------]   0%'],
  ];
  for (const [weight, bar] of cases) assert.equal(weightBar(weight), bar, `weight ${weight}`);
});

test("each metric and webhook shows its newest check, in the spec's order; unchecked ones wait", () => {
  const rows = latestChecks(
    canary({
      checks: [
        { name: 'request-duration', kind: 'metric', passed: false, value: 812, reason: 'AboveThreshold', time: ago(1) },
        { name: 'request-success-rate', kind: 'metric', passed: true, value: 99.5, time: ago(2) },
        { name: 'request-duration', kind: 'metric', passed: true, value: 40, time: ago(12) },
      ],
    }),
  );
  assert.deepEqual(
    rows.map((row) => [row.name, row.kind, row.threshold, row.latest?.value]),
    [
      ['request-success-rate', 'metric', '>= 99', 99.5],
      ['request-duration', 'metric', '<= 500', 812],
      ['users', 'webhook (pre-rollout)', '', undefined],
    ],
  );
});

test('the view shows phase, weight bar, step and every check against its threshold', () => {
  const view = renderRelease(
    canary({
      phase: 'Progressing',
      reason: 'StepAdvanced',
      lastTransitionTime: ago(30),
      canaryWeight: 50,
      currentStep: 1,
      failedChecks: 1,
      message: 'step 2 of 3',
      checks: [
        { name: 'request-duration', kind: 'metric', passed: false, value: 812.345, reason: 'AboveThreshold', time: ago(4) },
        { name: 'request-success-rate', kind: 'metric', passed: true, value: 100, time: ago(4) },
      ],
    }),
    now,
  );
  const lines = view.split('\n');
  assert.equal(lines[0], 'demo/web  Progressing (StepAdvanced), 30s');
  assert.equal(lines[1], '  canary [##########----------]  50%  step 2 of 3, 1 of 2 failures allowed');
  assert.equal(lines[2], '  step 2 of 3');
  assert.match(view, /request-success-rate +metric +100 +>= 99 +pass +4s/);
  assert.match(view, /request-duration +metric +812\.35 +<= 500 +FAIL \(AboveThreshold\) +4s/);
  assert.match(view, /users +webhook \(pre-rollout\) +- +- +waiting +-/);
});

test('the view names the commit and GitSync a run came from, and the images it changes', () => {
  const view = renderRelease(
    canary({
      phase: 'Progressing',
      release: {
        gitSync: 'demo/site',
        revision: '1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d',
        images: [
          { container: 'web', image: 'web:2', primaryImage: 'web:1' },
          { container: 'proxy', image: 'proxy:5', primaryImage: 'proxy:5' },
        ],
      },
    }),
    now,
  );
  assert.match(view, /^ {2}release: commit 1a2b3c4d5e6f from GitSync demo\/site, web web:1 → web:2$/m);
});

test('a canary Wren cannot work with says why in the view', () => {
  const view = renderRelease(
    canary({
      phase: 'Succeeded',
      conditions: [
        { type: 'Ready', status: 'False', reason: 'TargetNotFound', message: 'Deployment web does not exist', lastTransitionTime: ago(5) },
      ],
    }),
    now,
  );
  assert.match(view, /not ready: TargetNotFound: Deployment web does not exist/);
});

test('--until-done ends on a final phase for the target as it is now, never on the verdict of an earlier release', () => {
  const cases: [string, CanaryStatusType, number | undefined, ReturnType<typeof releaseOutcome>][] = [
    ['promoted', { phase: 'Succeeded', observedTargetGeneration: 4 }, 4, 'succeeded'],
    ['rolled back', { phase: 'Failed', observedTargetGeneration: 4 }, 4, 'failed'],
    ['first version went straight to the primary', { phase: 'Initialized', observedTargetGeneration: 1 }, 1, 'succeeded'],
    ['still progressing', { phase: 'Progressing', observedTargetGeneration: 5 }, 5, undefined],
    ['promoting', { phase: 'Promoting', observedTargetGeneration: 5 }, 5, undefined],
    ['a new version Wren has not picked up yet', { phase: 'Succeeded', observedTargetGeneration: 4 }, 5, undefined],
    ['an earlier failure, new version not picked up', { phase: 'Failed', observedTargetGeneration: 4 }, 5, undefined],
    ['status from before Wren recorded generations', { phase: 'Succeeded' }, 3, undefined],
    ['a target of a kind without a generation to compare', { phase: 'Succeeded' }, undefined, 'succeeded'],
    ['the scale-down after promotion already seen', { phase: 'Succeeded', observedTargetGeneration: 7 }, 6, 'succeeded'],
  ];
  for (const [name, status, generation, outcome] of cases) assert.equal(releaseOutcome(canary(status), generation), outcome, name);
});

test('after a rollback the failed version serves while any of its pods runs or drains', () => {
  const cases: [string, Parameters<typeof failedVersionServes>[0], boolean][] = [
    ['scaled to zero, none draining', { replicas: 0, terminatingReplicas: 0 }, false],
    ['no status yet reported', undefined, false],
    ['pods still running', { replicas: 2 }, true],
    ['scaled to zero, one pod draining', { replicas: 0, terminatingReplicas: 1 }, true],
  ];
  for (const [name, status, serves] of cases) assert.equal(failedVersionServes(status), serves, name);
});

test('a comparison with the primary shows its evidence in one line, and an inconclusive check is not called a failure', () => {
  const view = renderRelease(
    canary({
      phase: 'Progressing',
      checks: [
        {
          name: 'request-success-rate',
          kind: 'metric',
          passed: false,
          value: 6.1,
          reason: 'WorseThanPrimary',
          threshold: 'errors <= primary + 0 points (95 % confidence)',
          message: 'canary errors 6.1 % vs primary 3 %, 1,204 vs 3,311 requests, p < 0.001: worse by 0.9 to 5.3 points (95 % confidence)',
          evidence: {
            test: 'two-proportions',
            canaryValue: 6.1,
            primaryValue: 3,
            canarySamples: 1204,
            primarySamples: 3311,
            effect: 3.1,
            pValue: 0.0001,
            lowerBound: 0.9,
            upperBound: 5.3,
          },
          time: ago(1),
        },
        {
          name: 'request-duration',
          kind: 'metric',
          passed: false,
          inconclusive: true,
          reason: 'TooFewSamples',
          message: 'too few requests to compare: canary 37, primary 1,204 (each side needs 100)',
          time: ago(1),
        },
      ],
    }),
    now,
  );
  assert.match(view, /request-success-rate +metric +6\.10 +>= 99 +FAIL \(WorseThanPrimary\)/);
  assert.match(view, /request-duration +metric +- +<= 500 +inconclusive \(TooFewSamples\)/);
  assert.ok(
    view.includes(
      '  request-success-rate: canary errors 6.1 % vs primary 3 %, 1,204 vs 3,311 requests, p < 0.001: worse by 0.9 to 5.3 points (95 % confidence)\n',
    ),
    view,
  );
  assert.ok(view.includes('  request-duration: too few requests to compare: canary 37, primary 1,204 (each side needs 100)\n'), view);
});
