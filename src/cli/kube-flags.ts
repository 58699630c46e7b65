// Flags every cluster-facing command shares, and the client they lead to.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KubeClient } from '../kube/client.ts';
import type { ClusterAccess } from '../kube/cluster-access.ts';
import { loadClusterAccess } from '../kube/kubeconfig.ts';
import { KubeTransport } from '../kube/transport.ts';
import { USER_AGENT } from '../version.ts';

export const KUBE_FLAGS = {
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
} as const satisfies ParseArgsConfig['options'];

export interface CliCluster {
  client: KubeClient;
  namespace: string;
  access: ClusterAccess;
}

export function connect(values: { kubeconfig?: string; namespace?: string }): CliCluster {
  const access = loadClusterAccess(values.kubeconfig);
  if (!access) throw new Error('no cluster configured: set KUBECONFIG or pass --kubeconfig');
  return {
    client: new KubeClient(new KubeTransport(access, USER_AGENT)),
    namespace: values.namespace ?? access.namespace ?? 'default',
    access,
  };
}

export function parseCommand<T extends ParseArgsConfig['options']>(args: string[], options: T) {
  return parseArgs({ args, options: { ...KUBE_FLAGS, ...options }, allowPositionals: true, allowNegative: true });
}
