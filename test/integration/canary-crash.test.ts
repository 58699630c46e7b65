// Crash safety: the operator is killed with SIGKILL at random moments while canaries run, and
// restarted each time. Because every timer and decision lives in status, every run must still end
// in the right phase, promote at most once, and leave no traffic on a failed canary.
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { assertFleetEndedRight, createFleet, releaseFleet } from '../helpers/canary-fleet.ts';
import { freshNamespace, useCluster } from '../helpers/cluster.ts';
import { OperatorProcess } from '../helpers/operator-process.ts';
import { WebhookServer } from '../helpers/webhook-server.ts';

const KILLS = 10;

test('kill -9 at random moments: every run ends right, promotes once, and leaves no traffic on a failed canary', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const hooks = await new WebhookServer().start(t);

  let operator = new OperatorProcess(cluster.kubeconfigPath, ['--watch-namespace', namespace, '--no-leader-elect']);
  t.after(() => operator.stop('SIGKILL'));
  const fleet = await createFleet(cluster, namespace, hooks, { good: 3, bad: 3 });
  await releaseFleet(cluster, namespace, fleet);

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
  await assertFleetEndedRight(cluster, namespace, fleet, 120_000);
});
