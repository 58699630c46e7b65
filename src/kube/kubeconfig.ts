// Finds the cluster to talk to, in the order kubectl does: an explicit file, $KUBECONFIG,
// ~/.kube/config, then the in-cluster service account. Undefined means "no cluster configured".
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export function loadKubeConfig(explicitPath?: string): KubeConfig | undefined {
  const kubeConfig = new KubeConfig();
  if (explicitPath) {
    kubeConfig.loadFromFile(explicitPath);
    return kubeConfig;
  }
  const fromEnv = (process.env.KUBECONFIG ?? '').split(':').filter((path) => path && existsSync(path));
  const defaultPath = join(homedir(), '.kube', 'config');
  if (fromEnv.length > 0 || existsSync(defaultPath)) {
    kubeConfig.loadFromDefault();
    return kubeConfig.getCurrentCluster() ? kubeConfig : undefined;
  }
  if (process.env.KUBERNETES_SERVICE_HOST && existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token')) {
    kubeConfig.loadFromCluster();
    return kubeConfig;
  }
  return undefined;
}
