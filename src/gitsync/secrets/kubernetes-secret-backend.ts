// Placeholder paths as Kubernetes Secrets: "name" in the GitSync's namespace, or "namespace/name".
// Only the GitSync's own namespace may be read unless the caller allows more. The operator can read
// Secrets cluster-wide, so without this rule anyone who can commit to a GitSync's repository could
// copy any Secret of the cluster into an object they control (<path:kube-system/x#token>).
import { PathNotFoundError, type PlaceholderBackend } from './placeholder-backend.ts';

/** The Secret's data exactly as the API returns it (values base64-encoded), or undefined when it is missing. */
export type SecretDataReader = (namespace: string, name: string) => Promise<Record<string, string> | undefined>;

export interface KubernetesSecretBackendOptions {
  /** The GitSync's namespace. */
  namespace: string;
  readSecret: SecretDataReader;
  /** Other namespaces this GitSync may read from; by default none. */
  allowNamespace?: (namespace: string) => boolean;
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function createKubernetesSecretBackend(options: KubernetesSecretBackendOptions): PlaceholderBackend {
  return {
    // Secrets have no versions; like argocd-vault-plugin, a requested version is ignored.
    async read(path) {
      const { namespace, name } = secretOf(path, options.namespace);
      if (namespace !== options.namespace && !options.allowNamespace?.(namespace)) {
        throw new Error(`path "${path}" is in namespace "${namespace}"; placeholders may only read Secrets in "${options.namespace}"`);
      }
      const data = await options.readSecret(namespace, name);
      if (!data) throw new PathNotFoundError(path, `no Secret ${namespace}/${name}`);
      return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
    },
  };
}

export function secretOf(path: string, defaultNamespace: string): { namespace: string; name: string } {
  const parts = path.split('/');
  const [namespace, name] = parts.length === 1 ? [defaultNamespace, parts[0]] : parts;
  if (parts.length > 2 || !namespace || !name || !NAME.test(namespace) || !NAME.test(name)) {
    throw new Error(`path "${path}" is not a Secret: use "name" or "namespace/name"`);
  }
  return { namespace, name };
}
