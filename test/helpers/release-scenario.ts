// A release on the local data plane, as users run one: the demo app (v1) behind the router, a Canary
// for it with the provider's built-in metrics judged by the data plane's Prometheus, the load tester
// sending users' traffic through the router (started by the Canary's pre-rollout hook), and the test
// itself counting what each response says: status and the version that served it.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Canary } from '../../src/api/canary.ts';
import { failedVersionServes } from '../../src/cli/release-view.ts';
import { dataPlaneInfo } from '../../src/localcluster/data-plane/data-plane.ts';
import { LOCAL_GATEWAY, ROUTER_NAMESPACE } from '../../src/localcluster/data-plane/router-config.ts';
import { CANARIES, DEPLOYMENTS, METRIC_TEMPLATES, SECRETS } from '../../src/kube/resource-types.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { demoAppDeployment, SAMPLE_IMAGE } from '../../src/localcluster/sample-app/manifests.ts';
import { getCanary, getDeployment, setImage, waitForPhase } from './canary-fixtures.ts';
import { eventually } from './eventually.ts';
import { freshNamespace, useCluster, type TestCluster } from './cluster.ts';
import { startLoadTester } from './loadtester-process.ts';
import { operatorFor, type OperatorProcess } from './operator-process.ts';
import { throughRouter, type RoutedAnswer } from './router-request.ts';

export type TrafficProvider = 'kubernetes' | 'traefik' | 'gatewayapi';

export const demoImage = (version: string) => `${SAMPLE_IMAGE}:${version}`;

export interface Scenario {
  cluster: TestCluster;
  namespace: string;
  provider: TrafficProvider;
  host: string;
  router: string;
  prometheus: string;
  operator: OperatorProcess;
}

/** The users' traffic of a scenario, as the test saw it: statuses and versions of every answer. */
export interface Tally {
  total: number;
  byVersion: Record<string, number>;
  byStatus: Record<string, number>;
}

const empty = (): Tally => ({ total: 0, byVersion: {}, byStatus: {} });

function count(tally: Tally, status: number, version: string | undefined): void {
  tally.total += 1;
  tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
  if (version) tally.byVersion[version] = (tally.byVersion[version] ?? 0) + 1;
}

/** What routes the users' host to the Canary: an IngressRoute to the apex Service or the TraefikService; for gatewayapi, Wren's HTTPRoute itself. */
function entryRoute(namespace: string, provider: TrafficProvider, host: string): object | undefined {
  if (provider === 'gatewayapi') return undefined;
  const service = provider === 'traefik' ? { name: 'web', kind: 'TraefikService' } : { name: 'web', port: 80 };
  return {
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'IngressRoute',
    metadata: { name: 'web', namespace },
    spec: { entryPoints: ['web'], routes: [{ match: `Host(\`${host}\`)`, kind: 'Rule', services: [service] }] },
  };
}

/** A route straight to the canary's Service, for load that must reach the canary whatever the weights. */
function canaryRoute(namespace: string, host: string): object {
  return {
    apiVersion: 'traefik.io/v1alpha1',
    kind: 'IngressRoute',
    metadata: { name: 'web-canary', namespace },
    spec: { entryPoints: ['web'], routes: [{ match: `Host(\`${host}\`)`, kind: 'Rule', services: [{ name: 'web-canary', port: 80 }] }] },
  };
}

/**
 * Namespace, demo app v1, Canary (provider, analysis), load tester and route; returns once the
 * Canary is Initialized and v1 answers through the router.
 */
export async function startScenario(
  t: TestContext,
  provider: TrafficProvider,
  analysis: Record<string, unknown>,
  options: {
    loadRate?: number;
    canaryLoad?: boolean;
    /** Requests per second of the canary's own load (canaryLoad); 20 unless set. */
    canaryLoadRate?: number;
    /** Faults of v1 (the primary), as env of the demo app, e.g. DEMO_ERROR_RATE. */
    v1Faults?: Record<string, string>;
    metricTemplates?: KubeObject[];
  } = {},
): Promise<Scenario> {
  const cluster = await useCluster();
  const dataPlane = dataPlaneInfo();
  assert.ok(dataPlane, 'the data plane runs (wren cluster up started it)');
  const namespace = await freshNamespace(t, cluster, provider.slice(0, 4));
  const host = `web.${namespace}.test`;
  const loadTester = await startLoadTester(t, { allowTargets: [new URL(dataPlane.router.http).origin] });
  await cluster.client.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'loadtester', namespace },
    stringData: { token: loadTester.token },
  });
  const operator = operatorFor(t, cluster.kubeconfigPath, namespace, ['--metrics-server', dataPlane.prometheus]);
  for (const template of options.metricTemplates ?? []) {
    await cluster.client.create(METRIC_TEMPLATES, { ...template, metadata: { ...template.metadata, namespace } });
  }
  await cluster.client.create(DEPLOYMENTS, demoAppDeployment(namespace, '1.0.0', undefined, options.v1Faults) as KubeObject);
  /** A pre-rollout hook: the load tester sends `rate` requests/s for `host` through the router. */
  const loadHook = (name: string, virtualHost: string, rate: number) => ({
    name,
    type: 'pre-rollout',
    url: `${loadTester.url}/`,
    secretRef: { name: 'loadtester' },
    metadata: {
      type: 'load',
      url: `${dataPlane.router.http}/`,
      host: virtualHost,
      rate: String(rate),
      concurrency: '4',
      duration: '4m',
      wait: 'false',
    },
  });
  const canary = {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name: 'web', namespace },
    spec: {
      provider,
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      progressDeadlineSeconds: 120,
      service: {
        port: 80,
        targetPort: 'http',
        ...(provider === 'gatewayapi' ? { hosts: [host], gatewayRefs: [{ name: LOCAL_GATEWAY, namespace: ROUTER_NAMESPACE }] } : {}),
      },
      analysis: {
        threshold: 2,
        ...analysis,
        webhooks: [
          loadHook('users', host, options.loadRate ?? 20),
          // Blue/green keeps users on the primary: as Flagger's docs do, load of its own goes to the
          // canary's Service (through a route of its own) so its checks have traffic to judge.
          ...(options.canaryLoad ? [loadHook('canary-load', `canary.${host}`, options.canaryLoadRate ?? 20)] : []),
          ...((analysis.webhooks as object[] | undefined) ?? []),
        ],
      },
    },
  };
  await cluster.client.create(CANARIES, canary);
  const route = entryRoute(namespace, provider, host);
  if (route) await cluster.kubectl(['apply', '-f', '-'], JSON.stringify(route));
  if (options.canaryLoad) await cluster.kubectl(['apply', '-f', '-'], JSON.stringify(canaryRoute(namespace, `canary.${host}`)));
  await waitForPhase(cluster, namespace, 'web', 'Initialized', 120_000);
  const scenario = { cluster, namespace, provider, host, router: dataPlane.router.http, prometheus: dataPlane.prometheus, operator };
  await eventuallyServes(scenario);
  return scenario;
}

async function eventuallyServes(scenario: Scenario): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await throughRouter(scenario.router, scenario.host).catch(() => undefined);
    if (answer?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${scenario.host} never answered through the router (last: ${answer?.status})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The end of a rollback as users can tell: Wren records Failed before it acts, then routes everything
 * to the primary and scales the canary to zero; this waits until no pod of the canary is left.
 */
export async function canaryScaledDown(scenario: Scenario): Promise<void> {
  await eventually(
    'the canary to be scaled to zero and its pods gone',
    async () => {
      return !failedVersionServes((await getDeployment(scenario.cluster, scenario.namespace, 'web')).status);
    },
    { timeoutMs: 60_000 },
  );
}

/** Releases a new version: v2 of the demo app, with the faults `env` sets. */
export async function release(scenario: Scenario, version: string, env: Record<string, string> = {}): Promise<void> {
  if (Object.keys(env).length === 0) return setImage(scenario.cluster, scenario.namespace, 'web', demoImage(version));
  await scenario.cluster.kubectl([
    'patch',
    'deployment',
    'web',
    '-n',
    scenario.namespace,
    '--type=strategic',
    '-p',
    JSON.stringify({
      spec: {
        template: {
          spec: {
            containers: [{ name: 'app', image: demoImage(version), env: Object.entries(env).map(([name, value]) => ({ name, value })) }],
          },
        },
      },
    }),
  ]);
}

/** `n` requests through the router (20 at a time), counted by status and version. */
export async function sample(scenario: Scenario, n: number, headers: Record<string, string> = {}): Promise<Tally> {
  const tally = empty();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next += 1;
      const answer = await throughRouter(scenario.router, scenario.host, '/', headers).catch((): RoutedAnswer => ({
        status: 0,
        headers: {},
        body: '',
      }));
      count(tally, answer.status, answer.headers['x-demo-version'] as string | undefined);
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  return tally;
}

/** Users' traffic for as long as it runs: one request after another, every answer counted. */
export function watchUsers(scenario: Scenario): { stop(): Promise<Tally> } {
  const tally = empty();
  let running = true;
  const loop = (async () => {
    while (running) {
      const answer = await throughRouter(scenario.router, scenario.host).catch((): RoutedAnswer => ({ status: 0, headers: {}, body: '' }));
      count(tally, answer.status, answer.headers['x-demo-version'] as string | undefined);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return tally;
    },
  };
}

/** The Canary once it shows step weight `weight` (Progressing), and has held it long enough for the router to apply it. */
export async function atWeight(scenario: Scenario, weight: number): Promise<Canary> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const canary = await getCanary(scenario.cluster, scenario.namespace, 'web');
    const since = Date.parse(canary.status?.stepStartedAt ?? '');
    if (canary.status?.phase === 'Progressing' && canary.status.canaryWeight === weight && Date.now() - since > 4000) return canary;
    if (['Failed', 'Succeeded'].includes(canary.status?.phase ?? ''))
      throw new Error(`the run ended (${canary.status?.phase}) before weight ${weight}`);
    if (Date.now() > deadline) throw new Error(`never held weight ${weight}: ${canary.status?.phase} ${canary.status?.canaryWeight}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Whether `observed` of `n` is what a router sending a share `p` would give, within four standard
 * deviations of a binomial (one in 15,000 runs of a correct router falls outside).
 */
export function withinBinomial(observed: number, n: number, p: number): { ok: boolean; expected: number; tolerance: number } {
  const expected = n * p;
  const tolerance = 4 * Math.sqrt(n * p * (1 - p)) + 1;
  return { ok: Math.abs(observed - expected) <= tolerance, expected, tolerance };
}
