// Finds the cluster to talk to, in the order kubectl does: an explicit file, $KUBECONFIG,
// ~/.kube/config, then the in-cluster service account. Undefined means "no cluster configured".
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ClusterAccess } from './cluster-access.ts';
import { KubeconfigError, resolveKubeconfig } from './kubeconfig-resolve.ts';

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

export function loadClusterAccess(explicitPath?: string): ClusterAccess | undefined {
  if (explicitPath) {
    const access = resolveKubeconfig([readKubeconfig(explicitPath)]);
    if (!access) throw new KubeconfigError(`kubeconfig ${explicitPath}: current-context is not set`);
    return access;
  }
  const fromEnv = (process.env.KUBECONFIG ?? '').split(delimiter).filter((path) => path && existsSync(path));
  const defaultPath = join(homedir(), '.kube', 'config');
  const paths = fromEnv.length > 0 ? fromEnv : existsSync(defaultPath) ? [defaultPath] : [];
  if (paths.length > 0) return resolveKubeconfig(paths.map(readKubeconfig));
  if (process.env.KUBERNETES_SERVICE_HOST && existsSync(join(SERVICE_ACCOUNT, 'token')))
    return inClusterAccess(process.env.KUBERNETES_SERVICE_HOST);
  return undefined;
}

function readKubeconfig(path: string): { path: string; text: string } {
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (error) {
    throw new KubeconfigError(`kubeconfig ${path}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** The pod's own service account; the token file is re-read as the kubelet rotates it. */
function inClusterAccess(host: string): ClusterAccess {
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  const namespaceFile = join(SERVICE_ACCOUNT, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  return {
    context: 'in-cluster',
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ...(namespace ? { namespace } : {}),
    tls: { ca: { file: join(SERVICE_ACCOUNT, 'ca.crt') }, insecureSkipVerify: false },
    auth: { kind: 'tokenFile', path: join(SERVICE_ACCOUNT, 'token') },
  };
}
