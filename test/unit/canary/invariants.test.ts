// Randomised runs of the decision core against a misbehaving model cluster. Whatever happens, the
// invariants users rely on must hold after every single decision.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestAction } from '../../../src/canary/engine-types.ts';
import { Simulator, spec, type MetricTrouble } from './simulator.ts';

/** Small deterministic PRNG (mulberry32) so a failure names its seed and replays exactly. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const schedules = [
  { iterations: 3 },
  { iterations: undefined, stepWeight: 30, maxWeight: 90 },
  { iterations: undefined, stepWeights: [5, 50], stepWeightPromotion: 50 },
  { iterations: undefined, steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 40 }, { pause: { duration: '20s' } }] },
];
const actions: RequestAction[] = ['promote', 'promote-full', 'abort', 'retry'];

/** Limits of every kind on the one metric the simulator reports, for the runs that exercise them. */
const limitedMetrics = [
  {
    name: 'request-success-rate',
    failureLimit: 1,
    inconclusiveLimit: 1,
    consecutiveErrorLimit: 1,
    onNoData: 'inconclusive' as const,
  },
];
/** Seeds whose random run had a limit pause, fail or resume it: the runs above test something. */
const limitsInPlay = new Set<number>();
const troubles: MetricTrouble[] = ['unreachable', 'query-failed', 'no-data', 'inconclusive'];

for (let seed = 1; seed <= 60; seed++) {
  // Seeds past 40 add per-metric limits, and results that hold or pause a step, to the mix.
  const limited = seed > 40;
  test(`invariants hold through a random run (seed ${seed}${limited ? ', per-metric limits' : ''})`, () => {
    const next = random(seed);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
    const schedule = schedules[seed % schedules.length];
    const weighted = seed % schedules.length !== 0;
    const analysis = { ...schedule, threshold: 2, ...(limited ? { metrics: limitedMetrics } : {}) };
    const sim = new Simulator(spec(analysis, weighted ? { provider: 'istio' } : {}), { weighted });
    sim.initialize();
    let revisions = 1;
    let requestCount = 0;
    for (let round = 0; round < 120; round++) {
      const roll = next();
      if (roll < 0.05) sim.world.targetRevision = `rev-${++revisions}`;
      else if (roll < 0.1) sim.world.targetHealthy = !sim.world.targetHealthy;
      else if (roll < 0.13) sim.world.primaryRolloutSucceeds = !sim.world.primaryRolloutSucceeds;
      else if (roll < 0.17) sim.request = { action: pick(actions), id: `r${++requestCount}` };
      else if (roll < 0.19) sim.world.targetRevision = 'rev-1';
      if (next() < 0.3) sim.verdicts.push(limited && next() < 0.5 ? pick(troubles) : next() < 0.6);
      sim.advance(1 + Math.floor(next() * 15));
      const output = sim.step();
      const { desired } = output;
      if (desired.routes.canaryWeight > 0 && output.status.phase !== 'Terminating') {
        assert.ok(sim.seen.targetServing, `round ${round}: traffic sent to a canary with no ready pods (${output.status.phase})`);
      }
      if (desired.routes.primaryWeight > 0 && !sim.seen.primaryServing) {
        assert.ok(!sim.seen.targetServing, `round ${round}: traffic sent to a primary with no ready pods while the canary serves`);
      }
      if (desired.targetReplicas === 0) {
        assert.ok(sim.seen.primaryReady, `round ${round}: target scaled to zero while the primary is not ready (${output.status.phase})`);
      }
      const promoting = ['Initializing', 'Promoting', 'Terminating', 'Terminated'].includes(output.status.phase ?? '');
      if (!promoting && output.status.lastPromotedSpec) {
        assert.equal(
          sim.world.primaryRevision,
          output.status.lastPromotedSpec,
          `round ${round}: the primary runs a revision that was never promoted (${output.status.phase})`,
        );
      }
      assert.equal(desired.routes.primaryWeight + desired.routes.canaryWeight, 100);
      if (!weighted) assert.ok([0, 100].includes(desired.routes.canaryWeight), 'all-or-nothing routing stays all-or-nothing');
    }
    if (limited && sim.transitions().some((entry) => /InconclusiveLimitExceeded|FailureLimitExceeded|Resumed/.test(entry))) {
      limitsInPlay.add(seed);
    }
    const promotions = sim.transitions().filter((entry) => entry.startsWith('Succeeded'));
    assert.ok(promotions.length <= revisions + requestCount, 'no more promotions than releases');
  });
}

test('the per-metric limits paused, failed or resumed several of the random runs', () => {
  assert.ok(limitsInPlay.size >= 5, `only seeds ${[...limitsInPlay].join(', ')}`);
});
