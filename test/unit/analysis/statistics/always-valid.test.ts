// Seeded Monte Carlo: why the judge uses confidence sequences. Peeking at a fixed-horizon test after every
// look inflates its false alarms; the normal-mixture confidence sequence keeps them below alpha at any look.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confidenceSequence } from '../../../../src/analysis/statistics/confidence-sequence.ts';
import { binomial, mulberry32 } from '../../../../src/analysis/statistics/seeded-random.ts';
import { compareProportions } from '../../../../src/analysis/statistics/two-proportions.ts';

const RUNS = 2000;
const LOOKS = 20;
const ALPHA = 0.05;
const TAU = 0.02; // the mixing prior: error-rate differences of a couple of percentage points

/** Shares of runs in which, at some look, the confidence sequence excluded 0 and the naive one-sided z-test rejected. */
function simulate(seed: number, canaryErrorRate: number, primaryErrorRate: number): { sequence: number; naive: number } {
  const uniform = mulberry32(seed);
  let sequenceAlarms = 0;
  let naiveAlarms = 0;
  for (let run = 0; run < RUNS; run++) {
    const canary = { trials: 0, failures: 0 };
    const primary = { trials: 0, failures: 0 };
    let sequenceAlarm = false;
    let naiveAlarm = false;
    for (let look = 0; look < LOOKS; look++) {
      canary.trials += 100;
      canary.failures += binomial(uniform, 100, canaryErrorRate);
      primary.trials += 300;
      primary.failures += binomial(uniform, 300, primaryErrorRate);
      const comparison = compareProportions(canary, primary);
      const { lower, upper } = confidenceSequence(comparison.difference, comparison.variance, ALPHA, TAU);
      if (lower > 0 || upper < 0) sequenceAlarm = true;
      if (comparison.pValue < ALPHA) naiveAlarm = true;
    }
    if (sequenceAlarm) sequenceAlarms++;
    if (naiveAlarm) naiveAlarms++;
  }
  return { sequence: sequenceAlarms / RUNS, naive: naiveAlarms / RUNS };
}

test('under H0 (both 3% errors, 20 cumulative looks of 100 canary / 300 primary requests, 2000 seeded runs) the confidence sequence excludes 0 at any look in at most alpha of runs, while a z-test at 0.05 repeated at every look rejects far more often', () => {
  const { sequence, naive } = simulate(16, 0.03, 0.03);
  assert.ok(sequence <= ALPHA, `confidence sequence false-alarm share ${sequence} > ${ALPHA}`);
  assert.ok(naive >= 0.15, `repeated z-test false-alarm share ${naive} is not clearly above ${ALPHA}`);
});

test('with a real regression (canary 7% errors vs 3%) the confidence sequence does exclude 0 in most runs', () => {
  const { sequence } = simulate(17, 0.07, 0.03);
  assert.ok(sequence >= 0.8, `confidence sequence detected the regression in only ${sequence} of runs`);
});
