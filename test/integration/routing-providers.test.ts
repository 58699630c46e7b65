// Every traffic provider against its real CRDs in the local control plane: the same Canary, with
// only `provider` and the provider's refs changed, runs step by step with the weights visible on
// the provider's own object, rolls back, keeps fields that others own, and hands routing back.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test, type TestContext } from 'node:test';
import type { KubeObject } from '../../src/kube/objects.ts';
import { isNotFound } from '../../src/kube/api-error.ts';
import { CANARIES, DEPLOYMENTS } from '../../src/kube/resource-types.ts';
import { apexSelector, appDeployment, canaryFor, getCanary, setImage, waitForPhase } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { operatorFor } from '../helpers/operator-process.ts';
import { PROVIDER_CASES, type ProviderCase, type Weights } from '../helpers/provider-cases.ts';
import { installProviderCrds } from '../helpers/provider-crds.ts';
import { WebhookServer } from '../helpers/webhook-server.ts';

const APP = 'podinfo';
const V1 = 'ghcr.io/example/podinfo:1.0.0';
const V2 = 'ghcr.io/example/podinfo:2.0.0';

interface Setup {
  cluster: TestCluster;
  namespace: string;
}

async function setup(t: TestContext, providerCase: ProviderCase): Promise<Setup> {
  const cluster = await useCluster();
  if (providerCase.crds) await installProviderCrds(cluster, providerCase.crds);
  const namespace = await freshNamespace(t, cluster);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await providerCase.prepare?.(cluster, APP, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment(APP, namespace, V1));
  return { cluster, namespace };
}

/** The same Canary for every provider: only `provider` and the provider's refs differ. */
function canary(providerCase: ProviderCase, namespace: string, analysis: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return canaryFor(
    APP,
    namespace,
    { interval: '2s', threshold: 2, iterations: undefined, ...analysis },
    {
      provider: providerCase.provider,
      ...providerCase.refs(APP, namespace),
      ...extra,
    },
  );
}

async function routeObject(
  cluster: TestCluster,
  providerCase: ProviderCase,
  namespace: string,
): Promise<(KubeObject & { spec?: any; metadata?: any }) | undefined> {
  try {
    return await cluster.client.get(providerCase.object.type, namespace, providerCase.object.name(APP));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function weightsNow(cluster: TestCluster, providerCase: ProviderCase, namespace: string): Promise<Weights | undefined> {
  const object = await routeObject(cluster, providerCase, namespace);
  return object && providerCase.weights(object, APP);
}

/** Records every canary weight seen on the provider's object until the Canary reaches `phase`. */
async function watchWeightsUntil(cluster: TestCluster, providerCase: ProviderCase, namespace: string, phase: string): Promise<Set<number>> {
  const seen = new Set<number>();
  await eventually(
    `canary ${APP} to reach ${phase}`,
    async () => {
      const weights = await weightsNow(cluster, providerCase, namespace);
      if (weights) seen.add(weights.canary);
      return (await getCanary(cluster, namespace, APP)).status?.phase === phase;
    },
    { timeoutMs: 120_000, intervalMs: 100 },
  );
  return seen;
}

const kindArg = (providerCase: ProviderCase) =>
  `${providerCase.object.type.plural}${providerCase.object.type.group ? `.${providerCase.object.type.group}` : ''}/${providerCase.object.name(APP)}`;

for (const providerCase of PROVIDER_CASES) {
  const { provider } = providerCase;

  test(`${provider}: a canary run moves the weights step by step and promotes; fields others own survive`, async (t) => {
    const { cluster, namespace } = await setup(t, providerCase);
    await cluster.client.create(CANARIES, canary(providerCase, namespace, { stepWeight: 30, maxWeight: 60 }));
    await waitForPhase(cluster, namespace, APP, 'Initialized');
    // The phase is recorded before the routing object is written, and an earlier reconcile may have
    // written it while the primary was not serving yet (all traffic to the canary side, which serves).
    const initial = await eventually('the routing object to send all traffic to the primary', async () => {
      const weights = await weightsNow(cluster, providerCase, namespace);
      return weights?.primary === 100 ? weights : undefined;
    });
    assert.deepEqual(initial, { primary: 100, canary: 0 });
    // Someone else (a user, another controller) labels and annotates Wren's object.
    await cluster.kubectl(['annotate', '-n', namespace, kindArg(providerCase), 'example.com/owner=team-a']);
    await cluster.kubectl(['label', '-n', namespace, kindArg(providerCase), 'example.com/tier=frontend']);

    await setImage(cluster, namespace, APP, V2);
    const seen = await watchWeightsUntil(cluster, providerCase, namespace, 'Succeeded');
    assert.ok(seen.has(30) && seen.has(60), `canary weights seen on the ${provider} object: ${[...seen].join(', ')}`);
    assert.deepEqual(await weightsNow(cluster, providerCase, namespace), { primary: 100, canary: 0 });
    const object = await routeObject(cluster, providerCase, namespace);
    assert.equal(object?.metadata?.annotations?.['example.com/owner'], 'team-a');
    assert.equal(object?.metadata?.labels?.['example.com/tier'], 'frontend');
  });

  test(`${provider}: a failed run sends all traffic back to the primary; deletion hands routing back`, async (t) => {
    const { cluster, namespace } = await setup(t, providerCase);
    const hooks = await new WebhookServer().start(t);
    await cluster.client.create(
      CANARIES,
      canary(
        providerCase,
        namespace,
        { stepWeight: 40, maxWeight: 80, threshold: 1, webhooks: [{ name: 'smoke', type: 'rollout', url: hooks.url('/smoke') }] },
        { revertOnDeletion: true },
      ),
    );
    await waitForPhase(cluster, namespace, APP, 'Initialized');
    await setImage(cluster, namespace, APP, V2);
    await eventually('the first weight step', async () => (await weightsNow(cluster, providerCase, namespace))?.canary === 40);
    hooks.answer('/smoke', 500);
    const failed = await waitForPhase(cluster, namespace, APP, 'Failed');
    assert.equal(failed.status?.reason, 'FailedChecks');
    // The decision is recorded first, then carried out.
    await eventually('all traffic back on the primary', async () => (await weightsNow(cluster, providerCase, namespace))?.primary === 100);
    assert.deepEqual(await weightsNow(cluster, providerCase, namespace), { primary: 100, canary: 0 });

    await cluster.client.delete(CANARIES, namespace, APP);
    await eventually('the Canary to be gone', async () => {
      try {
        await getCanary(cluster, namespace, APP);
        return false;
      } catch (error) {
        return isNotFound(error);
      }
    });
    assert.deepEqual(await apexSelector(cluster, namespace, APP), { app: APP }, 'the apex Service selects the restored target');
    const left = await routeObject(cluster, providerCase, namespace);
    if (left) {
      assert.equal(left.metadata?.ownerReferences, undefined, 'what is left is no longer owned by the deleted Canary');
      assert.equal(providerCase.weights(left, APP), undefined, 'and no longer routes to the primary and canary Services');
    }
  });

  if (providerCase.mirroredToCanary) {
    const mirrored = providerCase.mirroredToCanary;
    test(`${provider}: blue/green with mirroring copies requests to the canary while it is analysed`, async (t) => {
      const { cluster, namespace } = await setup(t, providerCase);
      await cluster.client.create(CANARIES, canary(providerCase, namespace, { iterations: 3, mirror: true, mirrorWeight: 50 }));
      await waitForPhase(cluster, namespace, APP, 'Initialized');
      await setImage(cluster, namespace, APP, V2);
      await eventually('requests mirrored to the canary', async () => {
        const object = await routeObject(cluster, providerCase, namespace);
        return object !== undefined && mirrored(object, APP);
      });
      assert.deepEqual(
        await weightsNow(cluster, providerCase, namespace),
        { primary: 100, canary: 0 },
        'answers still come from the primary',
      );
      await waitForPhase(cluster, namespace, APP, 'Succeeded');
      const after = await routeObject(cluster, providerCase, namespace);
      assert.ok(after && !mirrored(after, APP), 'mirroring ends with the run');
    });
  }

  if (providerCase.headerRoutedToCanary) {
    const routedToCanary = providerCase.headerRoutedToCanary;
    test(`${provider}: A/B testing sends matching requests to the canary for every iteration`, async (t) => {
      const { cluster, namespace } = await setup(t, providerCase);
      await cluster.client.create(
        CANARIES,
        canary(providerCase, namespace, { iterations: 3, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] }),
      );
      await waitForPhase(cluster, namespace, APP, 'Initialized');
      await setImage(cluster, namespace, APP, V2);
      await eventually('matching requests routed to the canary', async () => {
        const object = await routeObject(cluster, providerCase, namespace);
        return object !== undefined && routedToCanary(object, APP);
      });
      assert.deepEqual(
        await weightsNow(cluster, providerCase, namespace),
        { primary: 100, canary: 0 },
        'everyone else stays on the primary',
      );
      await waitForPhase(cluster, namespace, APP, 'Succeeded');
      const after = await routeObject(cluster, providerCase, namespace);
      assert.ok(after && !routedToCanary(after, APP), 'the match route no longer sends anyone to the canary');
    });
  }
}

test('gatewayapi: a route its Gateway refuses is reported on the Canary', async (t) => {
  const providerCase = PROVIDER_CASES.find((candidate) => candidate.provider === 'gatewayapi') as ProviderCase;
  const { cluster, namespace } = await setup(t, providerCase);
  await cluster.client.create(CANARIES, canary(providerCase, namespace, { stepWeight: 50 }));
  await waitForPhase(cluster, namespace, APP, 'Initialized');
  await eventually('the HTTPRoute', () => routeObject(cluster, providerCase, namespace));
  // Play the Gateway's controller: it refuses the route.
  await cluster.client.mergePatch(
    providerCase.object.type,
    namespace,
    APP,
    {
      status: {
        parents: [
          {
            parentRef: { name: 'public', namespace },
            controllerName: 'example.com/gateway-controller',
            conditions: [
              {
                type: 'Accepted',
                status: 'False',
                reason: 'NotAllowedByListeners',
                message: 'no listener for this hostname',
                lastTransitionTime: new Date().toISOString(),
                observedGeneration: 1,
              },
            ],
          },
        ],
      },
    },
    'status',
  );
  await setImage(cluster, namespace, APP, V2);
  const blocked = await eventually('the refusal on the Canary', async () => {
    const ready = (await getCanary(cluster, namespace, APP)).status?.conditions?.find((condition) => condition.type === 'Ready');
    return ready?.status === 'False' && /not accepted by public/.test(ready.message ?? '') ? ready : undefined;
  });
  assert.match(blocked.message ?? '', /NotAllowedByListeners/);
  await sleep(3000);
  assert.equal((await weightsNow(cluster, providerCase, namespace))?.canary, 0, 'no traffic shifts through a refused route');
});

test('gatewayapi: an HTTPRoute the user had is taken over, and gets its own spec back on deletion', async (t) => {
  const providerCase = PROVIDER_CASES.find((candidate) => candidate.provider === 'gatewayapi') as ProviderCase;
  const { cluster, namespace } = await setup(t, providerCase);
  const userSpec = {
    parentRefs: [{ name: 'public', namespace }],
    hostnames: ['app.example.com'],
    rules: [{ backendRefs: [{ name: APP, port: 9898 }] }],
  };
  await cluster.client.create(providerCase.object.type, {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: APP, namespace },
    spec: userSpec,
  });
  await cluster.client.create(CANARIES, canary(providerCase, namespace, { stepWeight: 50 }, { revertOnDeletion: true }));
  await waitForPhase(cluster, namespace, APP, 'Initialized');
  await eventually('the route taken over', async () => (await weightsNow(cluster, providerCase, namespace))?.primary === 100);

  await cluster.client.delete(CANARIES, namespace, APP);
  const restored = await eventually('the user spec back', async () => {
    const route = await routeObject(cluster, providerCase, namespace);
    return route && providerCase.weights(route, APP) === undefined ? route : undefined;
  });
  assert.deepEqual(
    restored.spec?.rules?.map((rule: { backendRefs: { name: string }[] }) => rule.backendRefs.map((ref) => ref.name)),
    [[APP]],
  );
  assert.deepEqual(restored.spec?.hostnames, ['app.example.com']);
  assert.equal(restored.metadata?.ownerReferences, undefined);
});
