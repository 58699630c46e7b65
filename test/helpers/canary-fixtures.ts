// Objects the canary tests create: a Deployment as users write it and a Canary that targets it.
import type { Canary } from '../../src/api/canary.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CANARIES, DEPLOYMENTS, SERVICES } from '../../src/kube/resource-types.ts';
import type { Deployment } from '../../src/workload/workload-types.ts';
import type { TestCluster } from './cluster.ts';
import { eventually } from './eventually.ts';

export function appDeployment(name: string, namespace: string, image: string, extraPodSpec: Record<string, unknown> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image, ports: [{ name: 'http', containerPort: 9898 }] }], ...extraPodSpec },
      },
    },
  };
}

export function canaryFor(
  name: string,
  namespace: string,
  analysis: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name, namespace },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      service: { port: 9898 },
      progressDeadlineSeconds: 60,
      ...extra,
      analysis: { interval: '1s', threshold: 2, iterations: 2, ...analysis },
    },
  };
}

export const getCanary = (cluster: TestCluster, namespace: string, name: string) => cluster.client.get<Canary>(CANARIES, namespace, name);
export const getDeployment = (cluster: TestCluster, namespace: string, name: string) =>
  cluster.client.get<Deployment>(DEPLOYMENTS, namespace, name);
export const imageOf = (deployment: Deployment) => deployment.spec?.template?.spec?.containers?.[0]?.image;

export async function apexSelector(cluster: TestCluster, namespace: string, name: string): Promise<Record<string, string> | undefined> {
  const service = await cluster.client.get<KubeObject & { spec?: { selector?: Record<string, string> } }>(SERVICES, namespace, name);
  return service.spec?.selector;
}

export async function waitForPhase(
  cluster: TestCluster,
  namespace: string,
  name: string,
  phase: string,
  timeoutMs = 90_000,
): Promise<Canary> {
  return eventually(
    `canary ${name} to reach ${phase}`,
    async () => {
      const canary = await getCanary(cluster, namespace, name);
      return canary.status?.phase === phase ? canary : undefined;
    },
    { timeoutMs },
  );
}

export async function setImage(cluster: TestCluster, namespace: string, name: string, image: string): Promise<void> {
  await cluster.client.request({
    method: 'PATCH',
    path: `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`,
    headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
    body: JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'app', image }] } } } }),
  });
}

/** A Canary the operator must report as InvalidSpec (its step is larger than its maximum weight). */
export function invalidCanary(name: string, namespace: string): KubeObject {
  return canaryFor(name, namespace, { iterations: undefined, stepWeight: 60, maxWeight: 50 }, { provider: 'istio' });
}
