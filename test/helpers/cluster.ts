// Tests share one local control plane: started here when nothing runs yet, reused otherwise. Each
// test gets its own namespace, deleted when the test ends.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { KubeClient } from '../../src/kube/client.ts';
import type { ClusterAccess } from '../../src/kube/cluster-access.ts';
import { loadClusterAccess } from '../../src/kube/kubeconfig.ts';
import { NAMESPACES } from '../../src/kube/resource-types.ts';
import { KubeTransport } from '../../src/kube/transport.ts';
import { ensureBinaries } from '../../src/localcluster/build-binaries.ts';
import { CLUSTER_NAME, clusterUp } from '../../src/localcluster/cluster.ts';
import { KWOK_WORKDIR } from '../../src/localcluster/paths.ts';
import { runChecked, runCommand } from '../../src/localcluster/run-command.ts';
import { installCrds } from '../../src/operator/install-crds.ts';
import { eventually } from './eventually.ts';

export interface TestCluster {
  kubeconfigPath: string;
  access: ClusterAccess;
  client: KubeClient;
  binaries: Record<string, string>;
  /** Runs kubectl against the test cluster; throws on a non-zero exit. */
  kubectl(args: string[], input?: string): Promise<string>;
}

let shared: Promise<TestCluster> | undefined;

export function useCluster(): Promise<TestCluster> {
  shared ??= (async () => {
    const { kubeconfig } = await clusterUp((message) => process.stderr.write(`# ${message}\n`));
    const binaries = await ensureBinaries(() => undefined);
    const access = loadClusterAccess(kubeconfig) as ClusterAccess;
    const client = new KubeClient(new KubeTransport(access, 'wren-tests'));
    await installCrds(client);
    const kubectl = (args: string[], input?: string) =>
      runChecked(binaries.kubectl as string, ['--kubeconfig', kubeconfig, ...args], { input });
    return { kubeconfigPath: kubeconfig, access, client, binaries, kubectl };
  })();
  return shared;
}

/** A namespace for one test, deleted (without waiting) when the test ends. */
export async function freshNamespace(t: TestContext, cluster: TestCluster, prefix = 't'): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  await cluster.client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  t.after(async () => {
    await cluster.client.delete(NAMESPACES, undefined, name).catch(() => undefined);
  });
  return name;
}

function componentPid(component: string): number {
  return Number(readFileSync(join(KWOK_WORKDIR, 'clusters', CLUSTER_NAME, 'pids', `${component}.pid`), 'utf8').trim());
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills one control-plane process (e.g. kube-apiserver) outright, as a crash would. */
export async function killComponent(component: string): Promise<void> {
  const pid = componentPid(component);
  process.kill(pid, 'SIGKILL');
  await eventually(`${component} to exit`, () => !isAlive(pid), { timeoutMs: 10_000 });
}

/** Starts every stopped control-plane process again and waits until the API serves. */
export async function restartStoppedComponents(cluster: TestCluster): Promise<void> {
  await runChecked(cluster.binaries.kwokctl as string, ['start', 'cluster', '--name', CLUSTER_NAME], {
    env: { ...process.env, KWOK_WORKDIR, KWOK_KUBECTL_BINARY: cluster.binaries.kubectl },
  });
  await eventually('the API server to serve again', async () => {
    const result = await runCommand(cluster.binaries.kubectl as string, [
      '--kubeconfig',
      cluster.kubeconfigPath,
      'get',
      '--raw',
      '/readyz',
    ]);
    return result.code === 0;
  });
}
