// Flags every cluster-facing command shares, and the client they lead to.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../kube/client.ts';
import { loadKubeConfig } from '../kube/kubeconfig.ts';
import { KubeTransport } from '../kube/transport.ts';
import { USER_AGENT } from '../version.ts';

export const KUBE_FLAGS = {
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
} as const satisfies ParseArgsConfig['options'];

export interface CliCluster {
  client: KubeClient;
  namespace: string;
  kubeConfig: KubeConfig;
}

export function connect(values: { kubeconfig?: string; namespace?: string }): CliCluster {
  const kubeConfig = loadKubeConfig(values.kubeconfig);
  if (!kubeConfig) throw new Error('no cluster configured: set KUBECONFIG or pass --kubeconfig');
  const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
  return {
    client: new KubeClient(new KubeTransport(kubeConfig, USER_AGENT)),
    namespace: values.namespace ?? contextNamespace ?? 'default',
    kubeConfig,
  };
}

export function parseCommand<T extends ParseArgsConfig['options']>(args: string[], options: T) {
  return parseArgs({ args, options: { ...KUBE_FLAGS, ...options }, allowPositionals: true, allowNegative: true });
}
