// npm run bench:judge -- [--runs 200] [--looks 10] [--seed 16]
// How often each judge is wrong (prints figures; not a test). Simulated runs with known error rates on
// both sides: every look (one analysis interval) the canary and the primary each serve a number of
// requests, each failing with its side's true rate (exact binomial draws from a seeded generator). The
// same traffic is judged twice:
//   - fixed: Flagger's way, the canary's success rate over the look's window against 99 %, a rollback
//     at `threshold` failed checks;
//   - compared: Wren's compareTo: primary with its defaults (judgeErrorRates over the run so far: 95 %
//     always-valid confidence, 0 points allowed, 100 requests each side), a rollback at `threshold`
//     failed checks, an Inconclusive look held and repeated (at most `looks` extra looks);
//   - early: the same with maxIncrease 1 point and promoteWhenProven, promoted at the first look that
//     proves the canary no worse than 1 point (so only a canary worse by more than 1 point is "bad" to it).
// A run that passes `looks` looks is promoted. The table gives, per scenario, the share of runs each judge
// promoted and rolled back; a rollback of a canary as good as its primary is a false rollback, a
// promotion of a worse one a false promotion. The counting rules are the engine's; the engine itself
// (weights, timers) is not simulated.
import { parseArgs } from 'node:util';
import { judgeErrorRates } from '../../src/analysis/comparison/judge-error-rates.ts';
import { DEFAULT_CONFIDENCE, DEFAULT_MIN_SAMPLES } from '../../src/analysis/comparison/settings.ts';
import { binomial, mulberry32 } from '../../src/analysis/statistics/seeded-random.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    looks: { type: 'string', default: '10' },
    threshold: { type: 'string', default: '2' },
    seed: { type: 'string', default: '16' },
  },
});
const RUNS = Number(values.runs);
const LOOKS = Number(values.looks);
const THRESHOLD = Number(values.threshold);
const FIXED_MIN_SUCCESS = 99;

interface Scenario {
  name: string;
  canaryRate: number;
  primaryRate: number;
  /** Requests per look on each side. */
  canaryRequests: number;
  primaryRequests: number;
}

const scenarios: Scenario[] = [
  { name: 'healthy: both 0.5 %', canaryRate: 0.005, primaryRate: 0.005, canaryRequests: 200, primaryRequests: 600 },
  { name: 'degraded dependency: both 3 %', canaryRate: 0.03, primaryRate: 0.03, canaryRequests: 200, primaryRequests: 600 },
  { name: 'bad canary: 3 % vs 0.5 %', canaryRate: 0.03, primaryRate: 0.005, canaryRequests: 200, primaryRequests: 600 },
  { name: 'bad canary on a bad day: 6 % vs 3 %', canaryRate: 0.06, primaryRate: 0.03, canaryRequests: 200, primaryRequests: 600 },
  { name: 'quiet service: 5 % vs 0 %, 20 requests a look', canaryRate: 0.05, primaryRate: 0, canaryRequests: 20, primaryRequests: 60 },
  { name: 'quiet and healthy: both 0.5 %, 20 a look', canaryRate: 0.005, primaryRate: 0.005, canaryRequests: 20, primaryRequests: 60 },
  { name: 'slightly worse: 1.5 % vs 1 %', canaryRate: 0.015, primaryRate: 0.01, canaryRequests: 200, primaryRequests: 600 },
];

type Outcome = 'promoted' | 'rolled back' | 'undecided';
interface Look {
  canaryErrors: number;
  primaryErrors: number;
}

/** Traffic of one run: enough looks for the longest a judge may take (holds included). */
function traffic(scenario: Scenario, uniform: () => number): Look[] {
  return Array.from({ length: LOOKS * 2 }, () => ({
    canaryErrors: binomial(uniform, scenario.canaryRequests, scenario.canaryRate),
    primaryErrors: binomial(uniform, scenario.primaryRequests, scenario.primaryRate),
  }));
}

function fixedJudge(scenario: Scenario, looks: Look[]): { outcome: Outcome; looks: number } {
  let failed = 0;
  for (let index = 0; index < LOOKS; index++) {
    const look = looks[index] as Look;
    const success = 100 * (1 - look.canaryErrors / scenario.canaryRequests);
    if (success < FIXED_MIN_SUCCESS && ++failed >= THRESHOLD) return { outcome: 'rolled back', looks: index + 1 };
  }
  return { outcome: 'promoted', looks: LOOKS };
}

function comparedJudge(
  scenario: Scenario,
  looks: Look[],
  maxIncrease = 0,
  promoteWhenProven = false,
): { outcome: Outcome; looks: number; proven?: boolean } {
  const rule = { confidence: DEFAULT_CONFIDENCE, maxIncrease, minSamples: DEFAULT_MIN_SAMPLES };
  let failed = 0;
  let passed = 0;
  const canary = { trials: 0, failures: 0 };
  const primary = { trials: 0, failures: 0 };
  for (let index = 0; index < looks.length; index++) {
    const look = looks[index] as Look;
    canary.trials += scenario.canaryRequests;
    canary.failures += look.canaryErrors;
    primary.trials += scenario.primaryRequests;
    primary.failures += look.primaryErrors;
    const check = judgeErrorRates('request-success-rate', rule, canary, primary);
    if (check.passed && check.proven && promoteWhenProven) return { outcome: 'promoted', looks: index + 1, proven: true };
    if (check.passed) passed += 1;
    else if (!check.inconclusive && ++failed >= THRESHOLD) return { outcome: 'rolled back', looks: index + 1 };
    if (passed >= LOOKS) return { outcome: 'promoted', looks: index + 1 };
  }
  return { outcome: 'undecided', looks: looks.length };
}

const percent = (count: number) => `${((100 * count) / RUNS).toFixed(1)} %`.padStart(7);
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? 0;

console.log(
  `${RUNS} runs per scenario, ${LOOKS} looks to promote, rollback at ${THRESHOLD} failed checks, seed ${values.seed}; fixed: success >= ${FIXED_MIN_SUCCESS} % per look; compared: Wren's defaults\n`,
);
console.log(
  `${'scenario'.padEnd(48)}${'judge'.padEnd(10)}${'promoted'.padStart(9)}${'rolled back'.padStart(13)}${'undecided'.padStart(11)}${'proven'.padStart(9)}  looks to decide (median)`,
);
const uniform = mulberry32(Number(values.seed));
for (const scenario of scenarios) {
  const runs = Array.from({ length: RUNS }, () => traffic(scenario, uniform));
  for (const [judge, decide] of [
    ['fixed', fixedJudge],
    ['compared', (s: Scenario, l: Look[]) => comparedJudge(s, l)],
    ['early', (s: Scenario, l: Look[]) => comparedJudge(s, l, 1, true)],
  ] as const) {
    const results = runs.map((looks) => decide(scenario, looks));
    const count = (outcome: Outcome) => results.filter((result) => result.outcome === outcome).length;
    console.log(
      `${(judge === 'fixed' ? scenario.name : '').padEnd(48)}${judge.padEnd(10)}${percent(count('promoted')).padStart(9)}${percent(count('rolled back')).padStart(13)}${percent(count('undecided')).padStart(11)}${percent(results.filter((result) => 'proven' in result && result.proven).length).padStart(9)}  ${median(results.map((result) => result.looks))}`,
    );
  }
}
console.log('\nproven: promoted early, at the first look that proved the canary no worse than allowed.');
console.log('A canary as good as its primary (the first two and the sixth scenario): every rollback is a false rollback.');
console.log(
  'A canary worse than its primary (the others): every promotion is a false promotion (for early, only a canary more than 1 point worse).',
);
