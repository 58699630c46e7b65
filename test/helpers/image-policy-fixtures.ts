// Builders and waits for ImagePolicy integration tests.
import { findCondition } from '../../src/api/conditions.ts';
import type { ImagePolicy } from '../../src/api/image-policy.ts';
import { IMAGE_POLICIES, SECRETS } from '../../src/kube/resource-types.ts';
import type { TestCluster } from './cluster.ts';
import { eventually } from './eventually.ts';

export function imagePolicyFor(
  name: string,
  namespace: string,
  spec: Partial<ImagePolicy['spec']> & Pick<ImagePolicy['spec'], 'image' | 'policy'>,
): ImagePolicy {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'ImagePolicy',
    metadata: { name, namespace },
    spec: { gitSyncRef: { name: 'config' }, insecure: true, interval: '2s', ...spec },
  } as ImagePolicy;
}

export const getImagePolicy = (cluster: TestCluster, namespace: string, name: string) =>
  cluster.client.get<ImagePolicy>(IMAGE_POLICIES, namespace, name);

/** Waits until the policy is Ready and `accept` likes its status. */
export function waitForPolicy(
  cluster: TestCluster,
  namespace: string,
  name: string,
  description: string,
  accept: (status: NonNullable<ImagePolicy['status']>) => boolean,
  timeoutMs = 60_000,
): Promise<ImagePolicy> {
  let last: ImagePolicy['status'];
  return eventually(
    `ImagePolicy ${name} ${description}`,
    async () => {
      const policy = await getImagePolicy(cluster, namespace, name);
      last = policy.status;
      const ready = findCondition(policy.status?.conditions, 'Ready');
      return ready?.status === 'True' && policy.status && accept(policy.status) ? policy : undefined;
    },
    { timeoutMs },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last status: ${JSON.stringify(last)}`);
  });
}

/** Waits until the policy reports Ready=False with `reason`. */
export function waitForPolicyProblem(
  cluster: TestCluster,
  namespace: string,
  name: string,
  reason: string,
  timeoutMs = 60_000,
): Promise<ImagePolicy> {
  return eventually(
    `ImagePolicy ${name} to report ${reason}`,
    async () => {
      const policy = await getImagePolicy(cluster, namespace, name);
      const ready = findCondition(policy.status?.conditions, 'Ready');
      return ready?.status === 'False' && ready.reason === reason ? policy : undefined;
    },
    { timeoutMs },
  );
}

/** A kubernetes.io/dockerconfigjson Secret for one registry. */
export async function createDockerConfigSecret(
  cluster: TestCluster,
  namespace: string,
  name: string,
  host: string,
  credentials: { username: string; password: string },
): Promise<void> {
  const config = { auths: { [host]: { auth: Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64') } } };
  await cluster.client.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': JSON.stringify(config) },
  } as never);
}
