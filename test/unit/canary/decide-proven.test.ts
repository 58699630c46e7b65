// Early promotion through the decision core (simulator.ts): a run whose every metric is a comparison
// with promoteWhenProven, each proving the canary no worse at a step, ends its schedule at that step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CanarySpecType } from '../../../src/api/canary.ts';
import { Simulator, spec } from './simulator.ts';

type Metric = NonNullable<CanarySpecType['analysis']['metrics']>[number];
const compared = (promoteWhenProven: boolean): Metric => ({
  name: 'request-success-rate',
  compareTo: 'primary',
  comparison: { promoteWhenProven },
});

function running(metrics: Metric[], extra: Partial<CanarySpecType['analysis']> = {}): Simulator {
  const sim = new Simulator(spec({ iterations: 10, metrics, ...extra })).initialize();
  sim.world.targetRevision = 'rev-2';
  sim.settle();
  return sim;
}

test('promoteWhenProven: the first step whose comparison proves the canary no worse promotes it, long before the schedule ends', () => {
  const sim = running([compared(true)]);
  sim.verdicts = [true, 'proven'];
  sim.run(4);
  assert.equal(sim.status.phase, 'Succeeded');
  assert.equal(sim.world.primaryRevision, 'rev-2');
  assert.equal(sim.analyses, 2, 'two looks of ten');
  assert.ok(sim.transitions().includes('Promoting:ProvenNoWorse'), sim.transitions().join(' '));
});

test('without promoteWhenProven a proven comparison is a pass like any other: the run keeps its schedule', () => {
  const sim = running([compared(false)]);
  sim.verdicts = ['proven', 'proven'];
  sim.run(3);
  assert.equal(sim.status.phase, 'Progressing');
  assert.equal(sim.status.iterations, 3);
  assert.equal(sim.world.primaryRevision, 'rev-1');
});

test('a metric that is not such a comparison keeps the schedule, even when the others prove it', () => {
  const sim = running([compared(true), { name: 'latency', templateRef: { name: 'latency' }, thresholdRange: { max: 500 } }]);
  sim.verdicts = ['proven'];
  sim.run(2);
  assert.equal(sim.status.phase, 'Progressing');
  assert.equal(sim.world.primaryRevision, 'rev-1');
});

test('a proven canary still waits at a closed confirm-promotion gate', () => {
  const sim = running([compared(true)]);
  sim.gates = { 'confirm-promotion': false };
  sim.verdicts = ['proven'];
  sim.run(2);
  assert.equal(sim.status.phase, 'WaitingPromotion');
  assert.equal(sim.world.primaryRevision, 'rev-1');
});
