// Each metric's limits through whole runs of the decision core (model cluster, fake clock, and the
// fake analysis results of simulator.ts): what holds a step, what pauses a run for a person, what
// fails it, and that the counts live in status and start over with every run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CanarySpecType } from '../../../src/api/canary.ts';
import { Simulator, spec } from './simulator.ts';

type Metric = NonNullable<CanarySpecType['analysis']['metrics']>[number];
const successRate = (limits: Partial<Metric>): Metric[] => [{ name: 'request-success-rate', thresholdRange: { min: 99 }, ...limits }];

function running(analysis: Partial<CanarySpecType['analysis']>): Simulator {
  const sim = new Simulator(spec({ iterations: 3, threshold: 5, ...analysis })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  return sim;
}

const notices = (sim: Simulator) => sim.outputs.flatMap((output) => output.notices.map((notice) => notice.reason));
const countsOf = (sim: Simulator) => sim.status.metricCounts?.find((count) => count.name === 'request-success-rate');

test('inconclusive checks hold the step: neither passed nor failed, nothing promoted, the message names the metric and why, said once', () => {
  const sim = running({ threshold: 1 });
  sim.verdicts = ['inconclusive', 'inconclusive', 'inconclusive'];
  sim.run(3);
  assert.equal(sim.status.phase, 'Progressing');
  assert.equal(sim.status.currentStep, 0);
  assert.equal(sim.status.failedChecks, 0, 'not a failed check, even at threshold 1');
  assert.equal(sim.status.iterations, 0, 'nor a passed one');
  assert.equal(
    sim.status.message,
    'inconclusive: request-success-rate: too few requests to compare with the primary; step 1 holds and nothing is promoted until it is judged',
  );
  assert.equal(sim.status.checks?.[0]?.inconclusive, true);
  assert.deepEqual(notices(sim), ['Inconclusive'], 'said once, not at every interval');
  assert.equal(sim.world.primaryRevision, 'rev-1');
  sim.run(3);
  assert.equal(sim.status.phase, 'Succeeded', 'judged again at the next interval: passing checks move the run on');
});

test('onNoData: inconclusive holds the step instead of failing it, and counts toward inconclusiveLimit', () => {
  const sim = running({ threshold: 1, metrics: successRate({ onNoData: 'inconclusive' }) });
  sim.verdicts = ['no-data', 'no-data'];
  sim.run(2);
  assert.equal(sim.status.phase, 'Progressing');
  assert.equal(sim.status.failedChecks, 0);
  assert.match(sim.status.message ?? '', /^inconclusive: request-success-rate: the query returned nothing; step 1 holds/);
  assert.deepEqual(countsOf(sim), { name: 'request-success-rate', failed: 0, inconclusive: 2, consecutiveErrors: 0 });
});

test('onNoData unset: no data is a failed check, as before', () => {
  const sim = running({ threshold: 1, metrics: successRate({}) });
  sim.verdicts = ['no-data'];
  sim.run(1);
  assert.equal(sim.status.phase, 'Failed');
  assert.equal(sim.status.reason, 'FailedChecks');
});

test('one inconclusive result more than inconclusiveLimit pauses the run for a person; nothing is judged meanwhile; wren promote continues', () => {
  const sim = running({ metrics: successRate({ inconclusiveLimit: 1 }) });
  sim.verdicts = ['inconclusive', 'inconclusive'];
  sim.run(2);
  assert.equal(sim.status.phase, 'Progressing');
  assert.equal(sim.status.pausedFor, 'InconclusiveLimitExceeded');
  assert.equal(sim.status.reason, 'InconclusiveLimitExceeded');
  assert.match(
    sim.status.message ?? '',
    /^paused at step 1: "request-success-rate" was inconclusive 2 times, more than its inconclusiveLimit of 1 \(too few requests to compare with the primary\); run `wren promote` to continue or `wren abort` to roll back$/,
  );
  const paused = sim.outputs.find((output) => output.transition?.reason === 'InconclusiveLimitExceeded')?.transition;
  assert.equal(paused?.warning, true, 'announced once, as a warning');
  const analyses = sim.analyses;
  const held = sim.status;
  sim.run(5);
  assert.equal(sim.analyses, analyses, 'no checks run while the run waits for a person');
  assert.deepEqual(sim.status, held, 'and no status write');
  assert.ok((sim.outputs.at(-1)?.requeueAfterMs ?? 0) > 0, 'nor a busy loop');

  sim.request = { action: 'promote', id: 'promote@1' };
  sim.settle();
  assert.equal(sim.status.pausedFor, undefined);
  assert.equal(sim.status.reason, 'Resumed');
  assert.equal(sim.status.currentStep, 1, 'the person vouched for the held step: the run goes on to the next');
  assert.equal(countsOf(sim)?.inconclusive, 0, 'inconclusiveLimit starts afresh');
  sim.run(3);
  assert.equal(sim.status.phase, 'Succeeded');
});

test('a run paused at its last step is promoted by wren promote', () => {
  const sim = running({ iterations: 1, metrics: successRate({ inconclusiveLimit: 0 }) });
  sim.verdicts = ['inconclusive'];
  sim.run(1);
  assert.equal(sim.status.pausedFor, 'InconclusiveLimitExceeded');
  sim.request = { action: 'promote', id: 'promote@1' };
  sim.settle();
  assert.ok(sim.transitions().includes('Promoting:PromotionRequested'));
  sim.run(2);
  assert.equal(sim.status.phase, 'Succeeded');
  assert.equal(sim.status.pausedFor, undefined);
});

test('onNoData: pause pauses the run at once; wren abort rolls it back', () => {
  const sim = running({ metrics: successRate({ onNoData: 'pause' }) });
  sim.verdicts = ['no-data'];
  sim.run(1);
  assert.equal(sim.status.pausedFor, 'NoData');
  assert.equal(sim.status.reason, 'NoData');
  assert.match(sim.status.message ?? '', /"request-success-rate" returned no data and its onNoData is pause/);
  assert.equal(sim.status.failedChecks, 0);
  sim.request = { action: 'abort', id: 'abort@1' };
  sim.settle();
  assert.equal(sim.status.phase, 'Failed');
  assert.equal(sim.status.reason, 'Aborted');
  assert.equal(sim.status.pausedFor, undefined);
  assert.equal(sim.world.primaryRevision, 'rev-1');
  assert.deepEqual(sim.world.routes, { primaryWeight: 100, canaryWeight: 0 });
});

test('one failure more than failureLimit fails the run even below analysis.threshold', () => {
  const sim = running({ threshold: 5, metrics: successRate({ failureLimit: 1 }) });
  sim.verdicts = ['no-data', 'no-data'];
  sim.run(1);
  assert.equal(sim.status.phase, 'Progressing', 'one failure is within the limit');
  sim.run(1);
  assert.equal(sim.status.phase, 'Failed');
  assert.equal(sim.status.reason, 'FailureLimitExceeded');
  assert.match(
    sim.status.message ?? '',
    /^"request-success-rate" failed 2 times, more than its failureLimit of 1: the query returned nothing/,
  );
  assert.equal(sim.status.failedChecks, 2);
  assert.equal(sim.world.primaryRevision, 'rev-1');
});

test('analysis.threshold still counts failed steps of all metrics together', () => {
  const sim = running({ threshold: 2, metrics: successRate({ failureLimit: 5 }) });
  sim.verdicts = ['no-data', 'no-data'];
  sim.run(2);
  assert.equal(sim.status.phase, 'Failed');
  assert.equal(sim.status.reason, 'FailedChecks');
});

test('errors up to consecutiveErrorLimit hold the step; one more is a failed check; an answer ends the streak', () => {
  const sim = running({ threshold: 5, metrics: successRate({ consecutiveErrorLimit: 2 }) });
  sim.verdicts = ['unreachable', 'query-failed'];
  sim.run(2);
  assert.equal(sim.status.failedChecks, 0, 'two errors in a row are within the limit, a refused query too');
  assert.equal(countsOf(sim)?.consecutiveErrors, 2);
  sim.verdicts = ['unreachable'];
  sim.run(1);
  assert.equal(sim.status.failedChecks, 1);
  assert.equal(sim.status.checks?.[0]?.reason, 'ConsecutiveErrorLimitExceeded');
  assert.match(sim.status.message ?? '', /3 errors in a row, more than its consecutiveErrorLimit of 2/);
  sim.verdicts = [true];
  sim.run(1);
  assert.equal(countsOf(sim)?.consecutiveErrors, 0);
});

test('without consecutiveErrorLimit an unreachable server holds and a refused query fails, as before', () => {
  const sim = running({ threshold: 5, metrics: successRate({}) });
  sim.verdicts = ['unreachable', 'unreachable', 'unreachable', 'unreachable'];
  sim.run(4);
  assert.equal(sim.status.failedChecks, 0);
  sim.verdicts = ['query-failed'];
  sim.run(1);
  assert.equal(sim.status.failedChecks, 1);
});

test('the counts live in status and start over with every run', () => {
  const sim = running({ threshold: 5, metrics: successRate({ onNoData: 'inconclusive' }) });
  sim.verdicts = ['no-data', 'unreachable'];
  sim.run(2);
  assert.deepEqual(countsOf(sim), { name: 'request-success-rate', failed: 0, inconclusive: 1, consecutiveErrors: 1 });
  sim.world.targetRevision = 'rev-3';
  sim.settle();
  assert.equal(sim.status.reason, 'RevisionChanged');
  assert.deepEqual(sim.status.metricCounts, []);
});
