// The dashboard on the real-traffic data plane, with reads checked against the viewer's token (no
// --dashboard-anonymous-read): the demo app served by real processes behind Traefik, users' load
// through the router, Prometheus judging the success rate, and the page in Debian's Chromium showing
// the run as it goes: each weight, the measured success rate plotted, and a promotion from the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator } from 'playwright-core';
import { getCanary, getDeployment, imageOf, waitForPhase } from '../helpers/canary-fixtures.ts';
import { dashboardPage, markWindow, SCREENSHOTS, stillSameWindow, useToken, waitOrExplain } from '../helpers/dashboard-browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { atWeight, demoImage, release, sample, startScenario, watchUsers } from '../helpers/release-scenario.ts';
import { canaryAccount, grant } from '../helpers/service-account.ts';

/** What the chart plots, per series label (the chart's data-plotted). */
async function plottedSeries(chart: Locator): Promise<Record<string, number[]>> {
  return JSON.parse((await chart.getAttribute('data-plotted')) ?? '{}') as Record<string, number[]>;
}

test('on real traffic the page shows each weight and the measured success rate, reads only with a token that may list, and promotes for one that may patch', async (t) => {
  const scenario = await startScenario(t, 'traefik', {
    interval: '6s',
    threshold: 2,
    // A manual gate after the first weight: the run waits there for a promotion from the page.
    steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }],
    metrics: [{ name: 'request-success-rate', interval: '10s', thresholdRange: { min: 99 } }],
  });
  const { cluster, namespace } = scenario;
  const viewer = await canaryAccount(cluster, namespace, 'viewer', ['list']);
  const releaser = await canaryAccount(cluster, namespace, 'releaser', ['list', 'patch']);
  await grant(cluster, namespace, 'releaser', ['list'], 'events');
  const page = await dashboardPage(t);
  await page.goto(`http://127.0.0.1:${await scenario.operator.httpPort()}/ui/?namespace=${namespace}`);

  // Without a token nothing is shown: the page says why (or what went wrong instead).
  const firstAnswer = page.getByTestId('canaries-denied').or(page.getByTestId('error'));
  await waitOrExplain(page, firstAnswer, () => scenario.operator.tail(20));
  assert.match(await firstAnswer.innerText(), /reading needs a bearer token/);
  assert.equal(await page.getByTestId(`canaries-row-${namespace}-web`).count(), 0, 'no row without a token');

  // The viewer may list Canaries in this namespace and nothing else.
  await useToken(page, viewer);
  const row = page.getByTestId(`canaries-row-${namespace}-web`);
  await row.locator('td.phase', { hasText: 'Initialized' }).waitFor();
  assert.match(
    await page.getByTestId('gitsyncs-denied').innerText(),
    new RegExp(`system:serviceaccount:${namespace}:viewer may not list gitsyncs\\.wren\\.dev in namespace ${namespace}`),
  );
  await page.getByTestId('live').getByText('live').waitFor();
  await markWindow(page);
  await row.getByRole('link', { name: 'web' }).click();
  await page.getByTestId('canary-phase').getByText('Initialized').waitFor();
  const events = page.getByTestId('events');
  await events.getByText(/viewer may not list events/).waitFor();

  const users = watchUsers(scenario);
  await release(scenario, '2.0.0');
  await page.getByTestId('canary-weight').getByText('25%').waitFor({ timeout: 120_000 });
  await atWeight(scenario, 25);
  const atGate = await sample(scenario, 200);
  assert.ok(
    (atGate.byVersion['2.0.0'] ?? 0) > 0 && (atGate.byVersion['1.0.0'] ?? 0) > 0,
    `both versions serve at 25 % (${JSON.stringify(atGate.byVersion)})`,
  );

  // The success rate Prometheus measured for the canary, plotted as the checks come in.
  const chart = page.getByTestId('canary-chart');
  const plotted = await eventually(
    'two success-rate values plotted',
    async () => {
      const values = await plottedSeries(chart);
      return (values['request-success-rate']?.length ?? 0) >= 2 ? values : undefined;
    },
    { timeoutMs: 120_000 },
  );
  const measured = (await getCanary(cluster, namespace, 'web')).status?.checks?.filter((check) => check.name === 'request-success-rate');
  assert.ok(measured && measured.length > 0, 'the Canary holds the success-rate checks');
  for (const value of plotted['request-success-rate']!) {
    assert.ok(value >= 99 && value <= 100, `a plotted success rate is what the real requests gave: ${value}`);
  }
  assert.ok(
    plotted['request-success-rate']!.some((value) => measured.some((check) => check.value === value)),
    `a plotted value is one the Canary measured (${plotted['request-success-rate']} vs ${measured.map((check) => check.value)})`,
  );
  assert.ok(plotted['weight %']!.includes(25), `the weight 25 % is plotted (${plotted['weight %']})`);
  const legend = await page.locator('.u-legend').innerText();
  assert.match(legend, /request-success-rate/, 'the chart names the check in its legend');

  // The viewer may not promote; the releaser may, and the run goes on to its end.
  const result = page.getByTestId('action-result');
  await page.click('button[data-action=promote]');
  await result.getByText(/refused \(403\)/).waitFor();
  assert.equal((await getCanary(cluster, namespace, 'web')).status?.canaryWeight, 25, 'the refused promotion changed nothing');
  await useToken(page, releaser);
  // The releaser may list events: the refusal the viewer saw gives way to the Canary's events.
  await events
    .locator('td', { hasText: /^Initialized$/ })
    .first()
    .waitFor();
  assert.equal(await events.getByText(/may not list events/).count(), 0, "the viewer's refusal is gone");
  await page.click('button[data-action=promote]');
  await result.getByText(/requested promote of canary/).waitFor();
  await page.getByTestId('canary-weight').getByText('50%').waitFor({ timeout: 120_000 });
  await page.getByTestId('canary-phase').getByText('Succeeded').waitFor({ timeout: 180_000 });
  assert.ok(await stillSameWindow(page), 'the page followed the run without a reload');
  const final = await plottedSeries(chart);
  assert.ok(final['weight %']!.includes(50), `the weight 50 % is plotted (${final['weight %']})`);
  await page.screenshot({ path: `${SCREENSHOTS}dashboard-canary.png`, fullPage: true });

  await waitForPhase(cluster, namespace, 'web', 'Succeeded');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'web-primary')), demoImage('2.0.0'), 'promoted to the primary');
  assert.deepEqual((await sample(scenario, 100)).byVersion, { '2.0.0': 100 }, 'users are served by v2 once the page says Succeeded');
  const tally = await users.stop();
  assert.equal(tally.byStatus['200'], tally.total, `no user request failed during the run (${JSON.stringify(tally.byStatus)})`);
  const logs = JSON.stringify(scenario.operator.logs);
  assert.ok(!logs.includes(viewer) && !logs.includes(releaser), 'no token in the operator logs');
});
