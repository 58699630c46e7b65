// The canary decision core, driven through whole runs with a model cluster and a fake clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide } from '../../../src/canary/decide.ts';
import { Simulator, spec } from './simulator.ts';

test('initialization: the primary is created from the target, then the target goes to zero', () => {
  const sim = new Simulator(spec());
  const first = sim.step();
  assert.equal(first.status.phase, 'Initializing');
  assert.equal(first.desired.primary, 'target');
  sim.settle();
  assert.equal(sim.status.phase, 'Initialized');
  assert.equal(sim.status.lastPromotedSpec, 'rev-1');
  assert.equal(sim.status.lastAppliedSpec, 'rev-1');
  assert.equal(sim.world.targetReplicas, 0);
  assert.deepEqual(sim.world.routes, { primaryWeight: 100, canaryWeight: 0 });
});

test('blue/green: a new revision is analysed for each iteration, then promoted with no traffic gap', () => {
  const sim = new Simulator(spec({ iterations: 3 })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  assert.equal(sim.status.phase, 'Progressing');
  assert.equal(sim.world.targetReplicas, 2, 'the target is scaled up to the primary replicas');
  assert.equal(sim.status.currentStep, 0);
  sim.run(2);
  assert.equal(sim.status.phase, 'Progressing');
  assert.equal(sim.status.iterations, 2);
  sim.run(1);
  // Passed the third iteration: promotion. The kubernetes provider sends everyone to the canary
  // while the primary rolls over, then back to the primary.
  assert.ok(sim.transitions().includes('Promoting:AnalysisPassed'));
  assert.ok(sim.outputs.some((output) => output.status.phase === 'Promoting' && output.desired.routes.canaryWeight === 100));
  assert.equal(sim.status.phase, 'Succeeded');
  assert.equal(sim.status.lastPromotedSpec, 'rev-2');
  assert.equal(sim.world.primaryRevision, 'rev-2');
  assert.equal(sim.world.targetReplicas, 0);
  assert.deepEqual(sim.world.routes, { primaryWeight: 100, canaryWeight: 0 });
  assert.equal(sim.analyses, 3);
});

test('progressive canary: weights advance by stepWeight up to maxWeight, one step per interval', () => {
  const sim = new Simulator(spec({ iterations: undefined, stepWeight: 20, maxWeight: 60 }, { provider: 'istio' }), {
    weighted: true,
  }).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  const weights: number[] = [sim.world.routes?.canaryWeight ?? -1];
  for (let i = 0; i < 3; i++) {
    sim.run(1);
    weights.push(sim.world.routes?.canaryWeight ?? -1);
  }
  assert.deepEqual(weights.slice(0, 3), [20, 40, 60]);
  assert.equal(sim.status.phase, 'Succeeded');
  assert.deepEqual(sim.world.routes, { primaryWeight: 100, canaryWeight: 0 });
});

test('stepWeights and stepWeightPromotion: traffic returns to the primary in steps after it rolls over', () => {
  const sim = new Simulator(spec({ iterations: undefined, stepWeights: [10, 50], stepWeightPromotion: 25 }, { provider: 'istio' }), {
    weighted: true,
  }).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  assert.equal(sim.world.routes?.canaryWeight, 10);
  sim.run(1);
  assert.equal(sim.world.routes?.canaryWeight, 50);
  sim.run(1);
  assert.equal(sim.status.phase, 'Promoting');
  const promotionWeights = [sim.world.routes?.canaryWeight];
  while (sim.status.phase === 'Promoting') {
    sim.run(1);
    promotionWeights.push(sim.world.routes?.canaryWeight);
  }
  assert.deepEqual(promotionWeights, [50, 25, 0, 0]);
  assert.equal(sim.status.phase, 'Succeeded');
});

test('failed checks count cumulatively and roll back at the threshold', () => {
  const sim = new Simulator(spec({ iterations: 5, threshold: 2 })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  sim.verdicts = [false, true, false];
  sim.run(2);
  assert.equal(sim.status.phase, 'Progressing');
  assert.equal(sim.status.failedChecks, 1);
  sim.run(1);
  assert.equal(sim.status.phase, 'Failed');
  assert.equal(sim.status.reason, 'FailedChecks');
  assert.match(sim.status.message ?? '', /load-test: HTTP 500/);
  assert.equal(sim.world.targetReplicas, 0);
  assert.deepEqual(sim.world.routes, { primaryWeight: 100, canaryWeight: 0 });
  assert.equal(sim.world.primaryRevision, 'rev-1', 'the failed revision never reaches the primary');
  assert.equal(sim.status.checks?.[0]?.passed, false);
  const transition = sim.outputs.find((output) => output.transition?.to === 'Failed')?.transition;
  assert.equal(transition?.warning, true);
});

test('a Failed canary stays failed until a new revision, and a retry re-runs the same revision', () => {
  const sim = new Simulator(spec({ iterations: 1, threshold: 1 })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  sim.verdicts = [false];
  sim.run(1);
  assert.equal(sim.status.phase, 'Failed');
  sim.run(3);
  assert.equal(sim.status.phase, 'Failed');
  sim.request = { action: 'retry', id: 'retry@1' };
  sim.settle();
  assert.equal(sim.status.phase, 'Progressing');
  assert.equal(sim.status.lastHandledRequest, 'retry@1');
  assert.equal(sim.status.failedChecks, 0);
  sim.run(1);
  assert.equal(sim.status.phase, 'Succeeded');
  assert.equal(sim.status.lastPromotedSpec, 'rev-2');
});

test('a canary that never becomes ready is rolled back at the progress deadline', () => {
  const sim = new Simulator(spec({ iterations: 2 }, { progressDeadlineSeconds: 30 })).initialize();
  sim.world.targetHealthy = false;
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  assert.equal(sim.status.phase, 'Progressing');
  assert.equal(sim.status.currentStep, -1, 'no step starts before the canary is ready');
  sim.advance(20).settle();
  assert.equal(sim.status.phase, 'Progressing');
  sim.advance(15).settle();
  assert.equal(sim.status.phase, 'Failed');
  assert.equal(sim.status.reason, 'ProgressDeadlineExceeded');
  assert.deepEqual(sim.world.routes, { primaryWeight: 100, canaryWeight: 0 });
  assert.equal(sim.analyses, 0, 'an unready canary is never judged');
});

test('a canary that stops being ready mid-run gets its own deadline', () => {
  const sim = new Simulator(spec({ iterations: 5 }, { progressDeadlineSeconds: 30 })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  sim.run(2);
  assert.equal(sim.status.currentStep, 2);
  sim.world.targetHealthy = false;
  sim.advance(5).settle();
  assert.ok(sim.status.notReadySince, 'the timer starts when readiness is lost');
  assert.match(sim.status.message ?? '', /ready again/);
  sim.advance(20).settle();
  assert.equal(sim.status.phase, 'Progressing');
  sim.world.targetHealthy = true;
  sim.advance(5).settle();
  assert.equal(sim.status.notReadySince, undefined, 'recovery clears the timer');
  sim.world.targetHealthy = false;
  sim.advance(1).settle();
  sim.advance(31).settle();
  assert.equal(sim.status.phase, 'Failed');
  assert.equal(sim.status.reason, 'ProgressDeadlineExceeded');
});

test('a revision that arrives mid-analysis restarts the run', () => {
  const sim = new Simulator(spec({ iterations: undefined, stepWeight: 25 }, { provider: 'istio' }), { weighted: true }).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  sim.run(1);
  assert.equal(sim.status.canaryWeight, 50);
  sim.world.targetRevision = 'rev-3';
  sim.settle();
  assert.equal(sim.status.reason, 'RevisionChanged');
  assert.equal(sim.status.lastAppliedSpec, 'rev-3');
  assert.equal(sim.status.canaryWeight, 25, 'back to the first step');
  assert.equal(sim.status.iterations, 0);
});

test('going back to the promoted revision ends the run without a release', () => {
  const sim = new Simulator(spec({ iterations: 3 })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  sim.run(1);
  sim.world.targetRevision = 'rev-1';
  sim.settle();
  assert.equal(sim.status.phase, 'Initialized');
  assert.equal(sim.status.reason, 'RevertedToPrimary');
  assert.equal(sim.world.targetReplicas, 0);
  sim.run(3);
  assert.equal(sim.status.phase, 'Initialized', 'no canary starts for the primary revision');
});

test('a run records the commit and images that started it; reverting to the primary keeps the failed run on record', () => {
  const sim = new Simulator(spec({ iterations: 3, threshold: 2 })).initialize();
  assert.equal(sim.status.release, undefined, 'initializing is no release');
  const v2 = {
    gitSync: 'apps/shop',
    revision: 'c2',
    images: [{ container: 'app', image: 'shop:2', primaryImage: 'shop:1' }],
  };
  sim.world.release = v2;
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  assert.equal(sim.status.phase, 'Progressing');
  assert.deepEqual(sim.status.release, v2);
  sim.verdicts = [false, false, false];
  sim.run(3);
  assert.equal(sim.status.phase, 'Failed');
  sim.world.release = { gitSync: 'apps/shop', revision: 'c3', images: [{ container: 'app', image: 'shop:1', primaryImage: 'shop:1' }] };
  sim.world.targetRevision = 'rev-1';
  sim.settle();
  assert.equal(sim.status.reason, 'RevertedToPrimary');
  assert.deepEqual(sim.status.release, v2, "the revert is no run: the record still names the failed one's commit");
});

test('skipAnalysis promotes as soon as the canary is ready', () => {
  const sim = new Simulator(spec({ iterations: 10 }, { skipAnalysis: true })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  assert.equal(sim.status.phase, 'Succeeded');
  assert.equal(sim.analyses, 0);
  assert.ok(sim.transitions().includes('Promoting:AnalysisSkipped'));
});

test('suspend freezes the run: no transitions, no changes to routes or replicas', () => {
  const sim = new Simulator(spec({ iterations: 3 })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  const before = { ...sim.status };
  sim.spec = { ...sim.spec, suspend: true };
  const frozen = sim.advance(60).step();
  assert.equal(frozen.status.phase, 'Progressing');
  assert.equal(frozen.status.iterations, before.iterations);
  assert.equal(frozen.desired.targetReplicas, undefined);
  assert.equal(frozen.transition, undefined);
  sim.spec = { ...sim.spec, suspend: false };
  sim.run(3);
  assert.equal(sim.status.phase, 'Succeeded');
});

test('abort rolls back at once, and the same request is not handled twice', () => {
  const sim = new Simulator(spec({ iterations: 5 })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  sim.request = { action: 'abort', id: 'abort@1' };
  sim.settle();
  assert.equal(sim.status.phase, 'Failed');
  assert.equal(sim.status.reason, 'Aborted');
  sim.request = { action: 'retry', id: 'retry@2' };
  sim.settle();
  assert.equal(sim.status.phase, 'Progressing');
  sim.request = { action: 'abort', id: 'abort@1' };
  // The old abort is still on the object (annotation unchanged): the controller drops handled requests.
  sim.request = undefined;
  sim.run(5);
  assert.equal(sim.status.phase, 'Succeeded');
});

test('an indefinite pause holds the weight until wren promote, while checks keep running', () => {
  const sim = new Simulator(
    spec({ iterations: undefined, steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }] }, { provider: 'istio' }),
    { weighted: true },
  ).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  sim.run(1);
  assert.equal(sim.status.currentStep, 1);
  sim.run(5);
  assert.equal(sim.status.currentStep, 1, 'still paused');
  assert.equal(sim.world.routes?.canaryWeight, 20);
  assert.match(sim.status.message ?? '', /wren promote/);
  const analysesWhilePaused = sim.analyses;
  assert.ok(analysesWhilePaused >= 6);
  sim.request = { action: 'promote', id: 'promote@1' };
  sim.settle();
  sim.request = undefined;
  assert.equal(sim.status.currentStep, 2);
  assert.equal(sim.world.routes?.canaryWeight, 60);
  sim.run(2);
  assert.equal(sim.status.phase, 'Succeeded');
});

test('a timed pause continues on its own', () => {
  const sim = new Simulator(
    spec({ iterations: undefined, steps: [{ setWeight: 30 }, { pause: { duration: '30s' } }] }, { provider: 'istio' }),
    { weighted: true },
  ).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  sim.run(1);
  assert.equal(sim.status.currentStep, 1);
  sim.run(2);
  assert.equal(sim.status.phase, 'Progressing');
  sim.run(2);
  assert.equal(sim.status.phase, 'Succeeded');
});

test('wren promote skips the remaining steps', () => {
  const sim = new Simulator(spec({ iterations: 10 })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  sim.request = { action: 'promote', id: 'p1' };
  sim.settle();
  assert.equal(sim.status.phase, 'Succeeded');
  assert.ok(sim.transitions().includes('Promoting:PromotionRequested'));
});

test('gates: confirm-rollout holds the run in Waiting, confirm-promotion holds it in WaitingPromotion', () => {
  const sim = new Simulator(spec({ iterations: 1 })).initialize();
  sim.gates = { 'confirm-rollout': false };
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  assert.equal(sim.status.phase, 'Waiting');
  assert.equal(sim.world.targetReplicas, 0, 'nothing is scaled up before the rollout is confirmed');
  sim.gates = { 'confirm-rollout': true, 'confirm-promotion': false };
  sim.run(1);
  assert.equal(sim.status.phase, 'Progressing');
  sim.run(2);
  assert.equal(sim.status.phase, 'WaitingPromotion');
  sim.gates = { 'confirm-promotion': true };
  sim.run(1);
  assert.equal(sim.status.phase, 'Succeeded');
});

/**
 * rev-2 passed its analysis and is being promoted, but the primary cannot roll out (a full cluster);
 * `oldPodsServe`: whether the primary's old pods keep serving meanwhile. Deadline 30 s.
 */
function promotionThatCannotRollOut(oldPodsServe: boolean): Simulator {
  const sim = new Simulator(spec({ iterations: 1 }, { progressDeadlineSeconds: 30 })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.world.primaryRolloutSucceeds = false;
  sim.world.primaryServing = oldPodsServe;
  sim.settle();
  sim.run(1);
  return sim;
}

test('a primary that fails during promotion never leaves users without serving pods', () => {
  const sim = promotionThatCannotRollOut(false);
  assert.equal(sim.status.phase, 'Promoting');
  assert.deepEqual(sim.world.routes, { primaryWeight: 0, canaryWeight: 100 }, 'the canary serves while the primary rolls');
  const failed = sim.advance(31).step();
  assert.equal(failed.status.phase, 'Failed');
  assert.equal(failed.status.reason, 'PrimaryDeadlineExceeded');
  assert.deepEqual(failed.desired.routes, { primaryWeight: 0, canaryWeight: 100 }, 'traffic stays on the pods that are ready');
  assert.equal(failed.desired.targetReplicas, undefined, 'the canary is not scaled to zero while the primary cannot serve');
  sim.settle();
  assert.deepEqual(sim.world.routes, { primaryWeight: 100, canaryWeight: 0 }, 'traffic returns once the primary is restored');
});

test('a promotion that misses its deadline puts the last promoted revision back on the primary', () => {
  const sim = promotionThatCannotRollOut(true);
  assert.equal(sim.status.phase, 'Promoting');
  assert.equal(sim.world.primaryRevision, 'rev-2', 'the promotion started');
  const failed = sim.advance(31).step();
  assert.equal(failed.status.phase, 'Failed');
  assert.equal(failed.desired.primary, 'last-promoted');
  assert.equal(sim.world.primaryRevision, 'rev-1', 'the failed revision is taken off the primary');
  assert.equal(sim.status.lastPromotedSpec, 'rev-1');
  sim.settle();
  assert.equal(sim.world.targetReplicas, 0, 'once the primary is back and ready, the target goes to zero');
  assert.deepEqual(sim.world.routes, { primaryWeight: 100, canaryWeight: 0 });
  sim.world.primaryRolloutSucceeds = true; // the quota is lifted: nothing rolls the failed revision out again
  sim.run(3);
  assert.equal(sim.world.primaryRevision, 'rev-1');
  assert.equal(sim.status.phase, 'Failed');
});

test('a newer revision during promotion takes the half-promoted one off the primary and starts over', () => {
  const sim = promotionThatCannotRollOut(true);
  assert.equal(sim.status.phase, 'Promoting');
  sim.world.targetRevision = 'rev-3';
  sim.world.primaryRolloutSucceeds = true;
  const restarted = sim.step();
  assert.equal(restarted.status.phase, 'Progressing');
  assert.equal(restarted.desired.primary, 'last-promoted');
  assert.equal(sim.world.primaryRevision, 'rev-1', 'rev-2 was never promoted');
  sim.settle();
  sim.run(1);
  assert.equal(sim.status.phase, 'Succeeded');
  assert.equal(sim.world.primaryRevision, 'rev-3');
  assert.equal(sim.status.lastPromotedSpec, 'rev-3');
});

test('reverting the target after a failed promotion is nothing to release: the primary already runs that revision', () => {
  const sim = promotionThatCannotRollOut(true);
  sim.advance(31).settle();
  assert.equal(sim.status.phase, 'Failed');
  sim.world.targetRevision = 'rev-1';
  sim.settle();
  assert.equal(sim.status.phase, 'Initialized');
  assert.equal(sim.status.reason, 'RevertedToPrimary');
  assert.equal(sim.world.primaryRevision, 'rev-1');
  assert.equal(sim.status.lastPromotedSpec, 'rev-1');
});

test('deleting the Canary brings the target back before letting go', () => {
  const sim = new Simulator(spec({ iterations: 1 }, { revertOnDeletion: true })).initialize();
  assert.equal(sim.world.targetReplicas, 0);
  sim.deleting = true;
  const terminating = sim.step();
  assert.equal(terminating.status.phase, 'Terminating');
  assert.equal(terminating.desired.targetReplicas, 2);
  assert.equal(terminating.desired.finalize, 'restore');
  const done = sim.settle();
  assert.equal(done.status.phase, 'Terminated');
  assert.equal(done.desired.finalize, 'release');
});

test('the next analysis is scheduled for when the step is due', () => {
  const sim = new Simulator(spec({ iterations: 3, interval: '45s' })).initialize();
  sim.world.targetRevision = 'rev-2';
  const output = sim.settle();
  assert.equal(output.status.currentStep, 0);
  assert.equal(output.requeueAfterMs, 45_000);
});

test('while the due checks are still running, the run waits for them instead of polling at once', () => {
  const sim = new Simulator(spec({ iterations: 3, interval: '10s' })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  sim.advance(10);
  sim.checksInFlight = true;
  const waiting = sim.step();
  assert.equal(waiting.status.iterations ?? 0, 0, 'nothing is judged without results');
  assert.ok((waiting.requeueAfterMs ?? Infinity) > 0, `requeued after ${waiting.requeueAfterMs} ms`);
  sim.checksInFlight = false;
  assert.equal(sim.step().status.iterations, 1, 'the results, once in, count');
});

test('A/B: matching requests go to the canary for every iteration, then the primary takes the new revision', () => {
  const sim = new Simulator(spec({ iterations: 2, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] }), {
    weighted: true,
  }).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  assert.equal(sim.status.phase, 'Progressing');
  assert.deepEqual(sim.world.routes, { primaryWeight: 0, canaryWeight: 100 }, 'the weight the router applies to matching requests');
  sim.run(2);
  assert.equal(sim.status.phase, 'Succeeded');
  assert.equal(sim.world.primaryRevision, 'rev-2');
  assert.deepEqual(sim.world.routes, { primaryWeight: 100, canaryWeight: 0 });
});

test('blue/green with mirroring copies traffic to the canary only while it is analysed', () => {
  const sim = new Simulator(spec({ iterations: 2, mirror: true, mirrorWeight: 50 }), { weighted: true }).initialize();
  assert.equal(sim.world.routes?.mirror, undefined, 'no mirroring before a run');
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  assert.deepEqual(sim.world.routes, { primaryWeight: 100, canaryWeight: 0, mirror: true });
  sim.run(2);
  assert.equal(sim.status.phase, 'Succeeded');
  assert.equal(sim.world.routes?.mirror, undefined, 'mirroring stops with the run');
});

test('a metrics server that gives no answer holds the step: nothing failed, nothing promoted, the run resumes when it answers', () => {
  const sim = new Simulator(spec({ iterations: 2, threshold: 1 })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  sim.verdicts = ['unreachable', 'unreachable', 'unreachable'];
  sim.run(3);
  assert.equal(sim.status.phase, 'Progressing');
  assert.equal(sim.status.failedChecks, 0, 'an unreachable server is not a failed check, even at threshold 1');
  assert.equal(sim.status.iterations, 0, 'nor a passed one');
  assert.match(sim.status.message ?? '', /^metrics unavailable: http:\/\/prometheus:9090: connect ECONNREFUSED; step 1 holds/);
  assert.equal(sim.status.checks?.[0]?.reason, 'Unreachable');
  const notices = sim.outputs.flatMap((output) => output.notices.map((notice) => notice.reason));
  assert.deepEqual(notices, ['MetricsUnavailable'], 'said once, not at every interval');
  assert.equal(sim.world.primaryRevision, 'rev-1');
  sim.run(2);
  assert.equal(sim.status.phase, 'Succeeded', 'once the server answers, the checks pass and the run goes on');
  assert.equal(sim.status.lastPromotedSpec, 'rev-2');
});

test('an unreachable metrics server is asked again at the next interval, not at once', () => {
  const sim = new Simulator(spec({ iterations: 2, interval: '30s' })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  sim.verdicts = ['unreachable'];
  sim.run(1);
  const held = sim.outputs.at(-1);
  assert.match(held?.status.message ?? '', /holds/);
  assert.equal(held?.requeueAfterMs, 30_000);
});

test('waiting for a metrics server that is down costs no status write while each check is under way', () => {
  const canarySpec = spec({ iterations: 1, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 } }] });
  const readiness = { ready: true, serving: true, desiredReplicas: 2, availableReplicas: 2, deadlineExceeded: false };
  const observed = (extra: object) => ({
    target: { exists: true, readiness, replicas: 2 },
    targetRevision: 'rev-1',
    trackedConfigs: {},
    primary: { exists: true, readiness, replicas: 2, revision: 'rev-1' },
    routes: { primaryWeight: 100, canaryWeight: 0 },
    weightedRouting: false,
    gates: {},
    deleting: false,
    ...extra,
  });
  const now = new Date('2026-03-01T12:00:00Z');
  const offline = decide({ spec: canarySpec, status: { phase: 'Initializing' }, now, observed: observed({ metricsOffline: 'prom down' }) });
  assert.equal(offline.status.message, 'waiting for the metrics server: prom down');
  const checking = decide({ spec: canarySpec, status: offline.status, now, observed: observed({ checksPending: true }) });
  assert.deepEqual(checking.status, offline.status, 'a new attempt under way changes nothing');
  assert.equal(checking.requeueAfterMs, 10_000);
  const back = decide({ spec: canarySpec, status: checking.status, now, observed: observed({}) });
  assert.equal(back.status.phase, 'Initialized');
});
