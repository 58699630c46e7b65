// Canaries judged against their primary on real traffic: the demo app's v1 and v2 served by real
// processes with the faults each is given, the load tester sending requests through Traefik to each
// side, Prometheus counting what the pods export, and the comparison (compareTo: primary) deciding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary } from '../../src/api/canary.ts';
import { getCanary, getDeployment, imageOf } from '../helpers/canary-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { demoImage, release, sample, startScenario, type Scenario } from '../helpers/release-scenario.ts';

type CheckRecord = NonNullable<NonNullable<Canary['status']>['checks']>[number];

/** Blue/green on the kubernetes provider: users reach only the primary, the canary gets load of its own. */
async function comparedRun(
  t: Parameters<typeof startScenario>[0],
  metrics: object[],
  v1Faults: Record<string, string> = {},
  iterations = 8,
) {
  return startScenario(
    t,
    'kubernetes',
    { interval: '8s', iterations, threshold: 1, metrics },
    { canaryLoad: true, canaryLoadRate: 30, loadRate: 30, v1Faults },
  );
}

async function runEnd(scenario: Scenario): Promise<Canary> {
  let last: Canary | undefined;
  return eventually(
    'the run to end (Succeeded or Failed)',
    async () => {
      last = await getCanary(scenario.cluster, scenario.namespace, 'web');
      return ['Succeeded', 'Failed'].includes(last.status?.phase ?? '') ? last : undefined;
    },
    { timeoutMs: 300_000 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last status: ${JSON.stringify({ ...last?.status, conditions: undefined })}`);
  });
}

const primaryImage = async (scenario: Scenario) => imageOf(await getDeployment(scenario.cluster, scenario.namespace, 'web-primary'));
const checksOf = (canary: Canary, name: string): CheckRecord[] => (canary.status?.checks ?? []).filter((check) => check.name === name);

test('a canary and a primary both failing 3 % of requests: promoted by the comparison, where a fixed 99 % success threshold rolls back', async (t) => {
  const scenario = await comparedRun(
    t,
    [{ name: 'request-success-rate', interval: '10s', compareTo: 'primary', comparison: { maxIncrease: 2 } }],
    {
      DEMO_ERROR_RATE: '0.03',
    },
  );
  await release(scenario, '2.0.0');
  const ended = await runEnd(scenario);
  assert.equal(ended.status?.phase, 'Succeeded', ended.status?.message);
  assert.equal(await primaryImage(scenario), demoImage('2.0.0'));
  const checks = checksOf(ended, 'request-success-rate').filter((check) => check.evidence);
  assert.ok(checks.length > 0, 'the comparison was measured');
  for (const check of checks) {
    const evidence = check.evidence;
    assert.ok(check.passed, check.message);
    // What a fixed "success rate >= 99 %" would have seen: both sides below it.
    assert.ok(evidence && evidence.canaryValue > 1, `canary errors ${evidence?.canaryValue} % (success below 99 %)`);
    assert.ok(evidence && evidence.primaryValue > 1, `primary errors ${evidence?.primaryValue} % (success below 99 %)`);
    assert.ok(evidence && evidence.canarySamples >= 100 && evidence.primarySamples >= 100);
  }
  const users = await sample(scenario, 400);
  const failed = users.byStatus['500'] ?? 0;
  assert.ok(failed > 0 && failed < 40, `v2 serves users and fails about 3 % of them (${failed} of 400)`);
  assert.deepEqual(Object.keys(users.byVersion), ['2.0.0']);
});

test('a canary failing 6 % of requests against a primary failing 3 %: rolled back by the comparison, the primary still on v1', async (t) => {
  const scenario = await comparedRun(t, [{ name: 'request-success-rate', interval: '10s', compareTo: 'primary' }], {
    DEMO_ERROR_RATE: '0.03',
  });
  await release(scenario, '2.0.0', { DEMO_ERROR_RATE: '0.06' });
  const ended = await runEnd(scenario);
  assert.equal(ended.status?.phase, 'Failed', ended.status?.message);
  assert.equal(ended.status?.reason, 'FailedChecks');
  const failed = checksOf(ended, 'request-success-rate').find((check) => !check.passed && check.reason === 'WorseThanPrimary');
  assert.ok(failed?.evidence, `a failed comparison with evidence (${JSON.stringify(checksOf(ended, 'request-success-rate')[0])})`);
  assert.ok(failed.evidence.lowerBound > 0 && failed.evidence.pValue < 0.05, failed.message);
  assert.match(failed.message ?? '', /^canary errors [\d.]+ % vs primary [\d.]+ %, [\d,]+ vs [\d,]+ requests, p [<=] [\d.]+: worse by/);
  assert.equal(await primaryImage(scenario), demoImage('1.0.0'));
  assert.deepEqual(Object.keys((await sample(scenario, 100)).byVersion), ['1.0.0'], 'users never left v1');
});

test('a canary 300 ms slower than its primary: caught by the latency comparison and rolled back', async (t) => {
  const scenario = await comparedRun(t, [{ name: 'request-duration', interval: '10s', compareTo: 'primary' }]);
  await release(scenario, '2.0.0', { DEMO_LATENCY_MS: '300' });
  const ended = await runEnd(scenario);
  assert.equal(ended.status?.phase, 'Failed', ended.status?.message);
  const failed = checksOf(ended, 'request-duration').find((check) => check.reason === 'SlowerThanPrimary');
  assert.ok(failed?.evidence, `a failed latency comparison (${JSON.stringify(checksOf(ended, 'request-duration')[0])})`);
  assert.ok(failed.evidence.canaryValue >= 250, `canary p99 ${failed.evidence.canaryValue} ms`);
  assert.ok(failed.evidence.canaryValue - failed.evidence.primaryValue >= 200, failed.message);
  assert.equal(await primaryImage(scenario), demoImage('1.0.0'));
});

test('a canary that gets too few requests to compare is Inconclusive and never promoted', async (t) => {
  // No load of its own: in blue/green the canary gets no user traffic, so it never has a sample.
  const scenario = await startScenario(t, 'kubernetes', {
    interval: '5s',
    iterations: 2,
    threshold: 1,
    metrics: [{ name: 'request-success-rate', interval: '10s', compareTo: 'primary' }],
  });
  await release(scenario, '2.0.0');
  const held = await eventually(
    'three inconclusive comparisons',
    async () => {
      const canary = await getCanary(scenario.cluster, scenario.namespace, 'web');
      const inconclusive = checksOf(canary, 'request-success-rate').filter((check) => check.inconclusive);
      return inconclusive.length >= 3 ? canary : undefined;
    },
    { timeoutMs: 120_000 },
  );
  // Without a hold the two 5 s iterations would have promoted it long ago.
  assert.equal(held.status?.phase, 'Progressing', held.status?.message);
  const latest = checksOf(held, 'request-success-rate')[0];
  assert.equal(latest?.reason, 'TooFewSamples');
  assert.equal(latest?.passed, false);
  assert.match(latest?.message ?? '', /^too few requests to compare: canary 0, primary [\d,]+ \(each side needs 100\)$/);
  assert.equal(await primaryImage(scenario), demoImage('1.0.0'));
});

test('promoteWhenProven: a canary as good as its primary is promoted at the first look that proves it, long before its 30 steps', async (t) => {
  const scenario = await comparedRun(
    t,
    [{ name: 'request-success-rate', interval: '10s', compareTo: 'primary', comparison: { maxIncrease: 1, promoteWhenProven: true } }],
    {},
    30,
  );
  await release(scenario, '2.0.0');
  const ended = await runEnd(scenario);
  assert.equal(ended.status?.phase, 'Succeeded', ended.status?.message);
  assert.equal(await primaryImage(scenario), demoImage('2.0.0'));
  const proven = checksOf(ended, 'request-success-rate').find((check) => check.proven);
  assert.ok(proven?.evidence, 'a comparison proved it no worse');
  assert.ok(proven.evidence.upperBound <= 1, proven.message);
  assert.ok((ended.status?.iterations ?? 0) < 30, `promoted after ${ended.status?.iterations} of 30 steps`);
});
