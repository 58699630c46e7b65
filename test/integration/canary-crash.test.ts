// Crash safety: the operator is killed with SIGKILL at random moments while canaries run, and
// restarted each time. Because every timer and decision lives in status, every run must still end
// in the right phase, promote at most once, and leave no traffic on a failed canary.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { CANARIES, DEPLOYMENTS } from '../../src/kube/resource-types.ts';
import {
  apexSelector,
  appDeployment,
  canaryFor,
  getCanary,
  getDeployment,
  imageOf,
  setImage,
  waitForPhase,
} from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { OperatorProcess } from '../helpers/operator-process.ts';
import { WebhookServer } from '../helpers/webhook-server.ts';

const V1 = 'ghcr.io/example/app:1.0.0';
const V2 = 'ghcr.io/example/app:2.0.0';
const APPS = ['good-0', 'good-1', 'good-2', 'bad-0', 'bad-1', 'bad-2'];
const KILLS = 10;

test('kill -9 at random moments: every run ends right, promotes once, and leaves no traffic on a failed canary', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const hooks = await new WebhookServer().start(t);
  for (const app of APPS) if (app.startsWith('bad')) hooks.answer(`/check/${app}`, 500);

  let operator = new OperatorProcess(cluster.kubeconfigPath, ['--watch-namespace', namespace, '--no-leader-elect']);
  t.after(() => operator.stop('SIGKILL'));
  for (const app of APPS) {
    await cluster.client.create(DEPLOYMENTS, appDeployment(app, namespace, V1));
    await cluster.client.create(
      CANARIES,
      canaryFor(app, namespace, { iterations: 3, threshold: 2, webhooks: [{ name: 'load-test', url: hooks.url(`/check/${app}`) }] }),
    );
  }
  for (const app of APPS) await waitForPhase(cluster, namespace, app, 'Initialized');
  for (const app of APPS) await setImage(cluster, namespace, app, V2);

  const seed = Date.now();
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const killedAt: number[] = [];
  for (let kill = 0; kill < KILLS; kill++) {
    const wait = 200 + Math.floor(random() * 1800);
    await sleep(wait);
    killedAt.push(wait);
    await operator.stop('SIGKILL');
    operator = new OperatorProcess(cluster.kubeconfigPath, ['--watch-namespace', namespace, '--no-leader-elect']);
  }
  t.diagnostic(`seed ${seed}; killed after ${killedAt.join(', ')} ms`);

  for (const app of APPS) {
    const expected = app.startsWith('good') ? 'Succeeded' : 'Failed';
    const canary = await eventually(
      `${app} to finish its run of the new revision`,
      async () => {
        const current = await getCanary(cluster, namespace, app);
        const finished = current.status?.phase === 'Succeeded' || current.status?.phase === 'Failed';
        return finished && current.status?.runStartedAt ? current : undefined;
      },
      { timeoutMs: 120_000 },
    );
    assert.equal(canary.status?.phase, expected, `${app}: ${canary.status?.message}`);
    const primary = await getDeployment(cluster, namespace, `${app}-primary`);
    await eventually(`${app}: target at zero`, async () => (await getDeployment(cluster, namespace, app)).spec?.replicas === 0);
    assert.deepEqual(await apexSelector(cluster, namespace, app), { app: `${app}-primary` }, `${app}: all traffic on the primary`);
    if (expected === 'Succeeded') {
      assert.equal(imageOf(primary), V2);
      assert.equal(primary.metadata?.generation, 2, `${app}: the primary changed exactly once (created, then promoted)`);
    } else {
      assert.equal(imageOf(primary), V1, `${app}: the failed revision never reached the primary`);
      assert.equal(primary.metadata?.generation, 1, `${app}: the primary was never touched`);
      assert.equal(canary.status?.reason, 'FailedChecks');
    }
  }
});
