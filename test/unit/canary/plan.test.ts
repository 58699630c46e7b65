import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CanaryStatusType } from '../../../src/api/canary.ts';
import type { BaseObservations } from '../../../src/canary/observe.ts';
import { analysisPlan } from '../../../src/canary/plan.ts';
import { spec } from './simulator.ts';

const ready = { ready: true, serving: true, desiredReplicas: 2, availableReplicas: 2, deadlineExceeded: false };
const observed = (revision = 'rev-2'): BaseObservations => ({
  target: { exists: true, readiness: ready, replicas: 2 },
  targetRevision: revision,
  trackedConfigs: {},
  primary: { exists: true, readiness: ready, replicas: 2, revision: 'rev-1' },
  routes: { primaryWeight: 100, canaryWeight: 0 },
  weightedRouting: false,
  deleting: false,
});
const now = new Date('2026-03-01T12:00:30Z');
const progressing = (step: number, startedSecondsAgo: number): CanaryStatusType => ({
  phase: 'Progressing',
  lastAppliedSpec: 'rev-2',
  lastPromotedSpec: 'rev-1',
  currentStep: step,
  stepStartedAt: new Date(now.getTime() - startedSecondsAgo * 1000).toISOString(),
});

test('the analysis runs only when the step is due', () => {
  assert.equal(analysisPlan(spec({ iterations: 3 }), progressing(0, 5), observed(), now).analyze, false);
  assert.equal(analysisPlan(spec({ iterations: 3 }), progressing(0, 10), observed(), now).analyze, true);
  assert.equal(analysisPlan(spec({ iterations: 3 }), progressing(-1, 60), observed(), now).analyze, false, 'not before the first step');
  assert.equal(analysisPlan(spec({ iterations: 3 }, { suspend: true }), progressing(0, 60), observed(), now).analyze, false);
});

test('gates are asked only where they decide something', () => {
  assert.deepEqual(analysisPlan(spec({ iterations: 3 }), progressing(0, 10), observed(), now).gates, ['confirm-traffic-increase']);
  assert.deepEqual(analysisPlan(spec({ iterations: 3 }), progressing(2, 10), observed(), now).gates, ['confirm-promotion']);
  const steady: CanaryStatusType = { phase: 'Succeeded', lastAppliedSpec: 'rev-1', lastPromotedSpec: 'rev-1' };
  assert.deepEqual(analysisPlan(spec(), steady, observed('rev-1'), now).gates, [], 'nothing new: no gate');
  assert.deepEqual(analysisPlan(spec(), steady, observed('rev-2'), now).gates, ['confirm-rollout']);
});

test('a run paused for a person runs no checks', () => {
  const paused = { ...progressing(0, 60), pausedFor: 'InconclusiveLimitExceeded' };
  assert.equal(analysisPlan(spec({ iterations: 3 }), paused, observed(), now).analyze, false);
});
