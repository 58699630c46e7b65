// The web dashboard in a real browser (Debian's Chromium, driven by playwright-core) against the real
// control plane and an operator process: a release seen moving in the page without a reload, a
// refusal for a token without rights, and an abort from the page with a token allowed to patch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CANARIES, DEPLOYMENTS } from '../../src/kube/resource-types.ts';
import { appDeployment, canaryFor, getCanary, getDeployment, imageOf, setImage, waitForPhase } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster } from '../helpers/cluster.ts';
import { dashboardPage, markWindow, SCREENSHOTS, stillSameWindow, useToken, waitOrExplain } from '../helpers/dashboard-browser.ts';
import { ownNode } from '../helpers/kwok-nodes.ts';
import { operatorFor } from '../helpers/operator-process.ts';
import { PROVIDER_CASES } from '../helpers/provider-cases.ts';
import { installProviderCrds } from '../helpers/provider-crds.ts';
import { canaryAccount } from '../helpers/service-account.ts';

const V1 = 'ghcr.io/example/podinfo:1.0.0';
const V2 = 'ghcr.io/example/podinfo:2.0.0';

test('the dashboard shows a release move live, refuses an abort to a token without rights, and aborts it for one allowed to patch', async (t) => {
  const cluster = await useCluster();
  // Gateway API splits traffic by weight (the kubernetes provider can only switch it 0/100).
  const gateway = PROVIDER_CASES.find((item) => item.provider === 'gatewayapi')!;
  await installProviderCrds(cluster, 'gatewayapi');
  const namespace = await freshNamespace(t, cluster, 'dash');
  const operator = operatorFor(t, cluster.kubeconfigPath, namespace, ['--dashboard-anonymous-read']);
  const allowed = await canaryAccount(cluster, namespace, 'release-manager', ['list', 'patch']);
  const nobody = await canaryAccount(cluster, namespace, 'nobody', []);
  const placement = await ownNode(t, cluster, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1, placement));
  await cluster.client.create(
    CANARIES,
    canaryFor(
      'podinfo',
      namespace,
      { iterations: undefined, steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }] },
      { provider: 'gatewayapi', ...gateway.refs('podinfo', namespace) },
    ),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized').catch(async (error: Error) => {
    const status = (await getCanary(cluster, namespace, 'podinfo')).status;
    throw new Error(`${error.message}; status ${JSON.stringify(status)}; operator: ${operator.tail(30)}`);
  });

  const page = await dashboardPage(t);
  const base = `http://127.0.0.1:${await operator.httpPort()}/ui/?namespace=${namespace}`;
  await page.goto(base);
  const row = page.getByTestId(`canaries-row-${namespace}-podinfo`);
  await waitOrExplain(page, row.locator('td.phase', { hasText: 'Initialized' }), () => operator.tail(20));
  await page.getByTestId('live').getByText('live').waitFor();
  await markWindow(page);

  await setImage(cluster, namespace, 'podinfo', V2);
  await row.locator('td.phase', { hasText: 'Progressing' }).waitFor({ timeout: 60_000 });
  await row.locator('td.weight', { hasText: '20%' }).waitFor({ timeout: 60_000 });
  assert.ok(await stillSameWindow(page), 'updated without a reload');
  await page.screenshot({ path: `${SCREENSHOTS}dashboard-list.png`, fullPage: true });

  await row.getByRole('link', { name: 'podinfo' }).click();
  await page.getByTestId('canary-weight').getByText('20%').waitFor();
  await page.getByTestId('canary-phase').getByText('Progressing').waitFor();

  await useToken(page, nobody);
  await page.click('button[data-action=abort]');
  const result = page.getByTestId('action-result');
  await result.getByText(/refused \(403\)/).waitFor();
  assert.match(await result.innerText(), /system:serviceaccount:.*:nobody may not patch canaries\.wren\.dev in namespace/);
  await page.screenshot({ path: `${SCREENSHOTS}dashboard-refused.png`, fullPage: true });
  const untouched = await getCanary(cluster, namespace, 'podinfo');
  assert.equal(untouched.status?.phase, 'Progressing', 'the refused abort changed nothing');
  assert.equal(untouched.metadata?.annotations?.['wren.dev/request'], undefined, 'no request reached the Canary');

  await useToken(page, allowed);
  await page.click('button[data-action=abort]');
  await result.getByText(/requested abort of canary/).waitFor();
  await page.getByTestId('canary-phase').getByText('Failed').waitFor({ timeout: 60_000 });
  const failed = await waitForPhase(cluster, namespace, 'podinfo', 'Failed');
  assert.equal(failed.status?.reason, 'Aborted');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V1, 'the primary still runs the old version');
  await page.screenshot({ path: `${SCREENSHOTS}dashboard-aborted.png`, fullPage: true });
  const logs = JSON.stringify(operator.logs);
  assert.ok(!logs.includes(allowed) && !logs.includes(nobody), 'no token in the operator logs');
});
