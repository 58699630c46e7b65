// A fleet of canaries released at once, some healthy and some not (their load-test webhook answers
// 500), for the drills that break things under them. At the end every run must have reached the
// phase it would have reached undisturbed: promoted exactly once, or rolled back without the failed
// revision ever reaching the primary, and all traffic on the primary.
import assert from 'node:assert/strict';
import { CANARIES, DEPLOYMENTS, EVENTS } from '../../src/kube/resource-types.ts';
import { apexSelector, appDeployment, canaryFor, getCanary, getDeployment, imageOf, setImage, waitForPhase } from './canary-fixtures.ts';
import type { TestCluster } from './cluster.ts';
import { eventually } from './eventually.ts';
import type { WebhookServer } from './webhook-server.ts';

export const FLEET_V1 = 'ghcr.io/example/app:1.0.0';
export const FLEET_V2 = 'ghcr.io/example/app:2.0.0';

export interface Fleet {
  good: string[];
  bad: string[];
}

/** Creates the Deployments and Canaries and waits until every one is Initialized. */
export async function createFleet(
  cluster: TestCluster,
  namespace: string,
  hooks: WebhookServer,
  size: { good: number; bad: number },
  analysis: Record<string, unknown> = {},
  /** Fields of each Canary's spec besides its analysis, e.g. progressDeadlineSeconds. */
  spec: Record<string, unknown> = {},
): Promise<Fleet> {
  const fleet: Fleet = {
    good: Array.from({ length: size.good }, (_, index) => `good-${index}`),
    bad: Array.from({ length: size.bad }, (_, index) => `bad-${index}`),
  };
  for (const app of fleet.bad) hooks.answer(`/check/${app}`, 500);
  await Promise.all(
    [...fleet.good, ...fleet.bad].map(async (app) => {
      await cluster.client.create(DEPLOYMENTS, appDeployment(app, namespace, FLEET_V1));
      await cluster.client.create(
        CANARIES,
        canaryFor(
          app,
          namespace,
          {
            iterations: 3,
            threshold: 2,
            webhooks: [{ name: 'load-test', url: hooks.url(`/check/${app}`) }],
            ...analysis,
          },
          spec,
        ),
      );
    }),
  );
  for (const app of [...fleet.good, ...fleet.bad]) await waitForPhase(cluster, namespace, app, 'Initialized', 120_000);
  return fleet;
}

export async function releaseFleet(cluster: TestCluster, namespace: string, fleet: Fleet): Promise<void> {
  await Promise.all([...fleet.good, ...fleet.bad].map((app) => setImage(cluster, namespace, app, FLEET_V2)));
}

/** Transition reasons recorded as Events for one Canary. */
async function reasonsOf(cluster: TestCluster, namespace: string, app: string): Promise<string[]> {
  const events = await cluster.client.list(EVENTS, namespace, { fieldSelector: `involvedObject.kind=Canary,involvedObject.name=${app}` });
  return events.items.map((event) => String((event as { reason?: string }).reason));
}

/** Every run of the new revision ended as it would have undisturbed. */
export async function assertFleetEndedRight(cluster: TestCluster, namespace: string, fleet: Fleet, timeoutMs = 180_000): Promise<void> {
  for (const app of [...fleet.good, ...fleet.bad]) {
    const expected = fleet.good.includes(app) ? 'Succeeded' : 'Failed';
    const canary = await eventually(
      `${app} to finish its run of the new revision`,
      async () => {
        const current = await getCanary(cluster, namespace, app);
        const finished = current.status?.phase === 'Succeeded' || current.status?.phase === 'Failed';
        return finished && current.status?.runStartedAt ? current : undefined;
      },
      { timeoutMs },
    );
    assert.equal(canary.status?.phase, expected, `${app}: ${canary.status?.message}`);
    await eventually(`${app}: target at zero`, async () => (await getDeployment(cluster, namespace, app)).spec?.replicas === 0);
    assert.deepEqual(await apexSelector(cluster, namespace, app), { app: `${app}-primary` }, `${app}: all traffic on the primary`);
    const primary = await getDeployment(cluster, namespace, `${app}-primary`);
    if (expected === 'Succeeded') {
      assert.equal(imageOf(primary), FLEET_V2);
      assert.equal(primary.metadata?.generation, 2, `${app}: the primary changed exactly once (created, then promoted)`);
      const reasons = await reasonsOf(cluster, namespace, app);
      assert.deepEqual(
        reasons.filter((reason) => ['FailedChecks', 'ProgressDeadlineExceeded', 'PrimaryDeadlineExceeded', 'CheckFailed'].includes(reason)),
        [],
        `${app}: no spurious failure on the way`,
      );
    } else {
      assert.equal(imageOf(primary), FLEET_V1, `${app}: the failed revision never reached the primary`);
      assert.equal(primary.metadata?.generation, 1, `${app}: the primary was never touched`);
      assert.equal(canary.status?.reason, 'FailedChecks');
    }
  }
}
