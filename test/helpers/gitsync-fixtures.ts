// GitSync test fixtures: manifests as YAML text for a Git remote, the GitSync itself, and waits on its
// status.
import type { GitSync } from '../../src/api/git-sync.ts';
import { findCondition } from '../../src/api/conditions.ts';
import { GIT_SYNCS } from '../../src/kube/resource-types.ts';
import type { TestCluster } from './cluster.ts';
import { eventually } from './eventually.ts';

export function configMapYaml(name: string, data: Record<string, string>, extra = ''): string {
  const lines = Object.entries(data).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data:\n${lines.join('\n')}\n`;
}

export function deploymentYaml(name: string, image: string, replicas = 2): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: app
          image: ${image}
          ports: [{containerPort: 9898}]
          resources: {requests: {cpu: 100m, memory: 64Mi}}
`;
}

export function gitSyncFor(name: string, namespace: string, url: string, spec: Partial<GitSync['spec']> = {}): GitSync {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'GitSync',
    metadata: { name, namespace },
    spec: { url, ref: { branch: 'main' }, interval: '2s', ...spec },
  } as GitSync;
}

export const getGitSync = (cluster: TestCluster, namespace: string, name: string) =>
  cluster.client.get<GitSync>(GIT_SYNCS, namespace, name);

/** Waits until the GitSync applied `commit` and reports Ready=True. */
export function waitForApplied(
  cluster: TestCluster,
  namespace: string,
  name: string,
  commit: string,
  timeoutMs = 60_000,
): Promise<GitSync> {
  return eventually(
    `GitSync ${name} to apply ${commit.slice(0, 8)}`,
    async () => {
      const sync = await getGitSync(cluster, namespace, name);
      const ready = findCondition(sync.status?.conditions, 'Ready');
      if (ready?.status === 'False') throw new Error(`Ready=False ${ready.reason}: ${ready.message}`);
      return sync.status?.lastAppliedRevision === commit && ready?.status === 'True' ? sync : undefined;
    },
    { timeoutMs },
  );
}

/** Waits until the GitSync's Ready condition is False with `reason`. */
export function waitForFailure(cluster: TestCluster, namespace: string, name: string, reason: string): Promise<GitSync> {
  return eventually(`GitSync ${name} to fail with ${reason}`, async () => {
    const sync = await getGitSync(cluster, namespace, name);
    const ready = findCondition(sync.status?.conditions, 'Ready');
    return ready?.status === 'False' && ready.reason === reason ? sync : undefined;
  });
}
