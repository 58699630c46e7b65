// Builds the placeholder backend a GitSync's spec.placeholders asks for. The controller supplies the
// cluster access (a Secret reader and a TokenRequest function), so this file needs no Kubernetes client.
// Keep one backend per GitSync and spec generation: a Vault Kubernetes-auth login is reused until its
// lease is nearly over.
import type { GitSync } from '../../api/git-sync.ts';
import { createKubernetesSecretBackend, type SecretDataReader } from './kubernetes-secret-backend.ts';
import type { PlaceholderBackend } from './placeholder-backend.ts';
import { kubernetesLogin, tokenFromSecret, type VaultTokenSource } from './vault-auth.ts';
import { createVaultBackend } from './vault-backend.ts';
import type { VaultConnection } from './vault-http.ts';

export type PlaceholdersSpec = NonNullable<NonNullable<GitSync['spec']>['placeholders']>;
type VaultAuthSpec = NonNullable<PlaceholdersSpec['vault']>['auth'];

export interface PlaceholderBackendDeps {
  /** The GitSync's namespace: Secrets and service accounts are looked up there. */
  namespace: string;
  readSecret: SecretDataReader;
  /** A token of the service account for the audience (a TokenRequest). */
  serviceAccountToken: (namespace: string, serviceAccountName: string, audience: string) => Promise<string>;
  /** Namespaces besides its own that this GitSync's kubernetes placeholders may read; default none. */
  allowNamespace?: (namespace: string) => boolean;
  fetch?: typeof fetch;
  vaultTimeoutMs?: number;
}

export function placeholderBackendFor(spec: PlaceholdersSpec, deps: PlaceholderBackendDeps): PlaceholderBackend {
  if (spec.backend === 'kubernetes') {
    return createKubernetesSecretBackend({
      namespace: deps.namespace,
      readSecret: deps.readSecret,
      ...(deps.allowNamespace ? { allowNamespace: deps.allowNamespace } : {}),
    });
  }
  const vault = spec.vault;
  if (!vault) throw new Error('spec.placeholders.vault is required when the backend is vault');
  if (!/^https?:\/\//.test(vault.address)) throw new Error('spec.placeholders.vault.address must start with http:// or https://');
  const connection: VaultConnection = {
    address: vault.address,
    ...(vault.namespace ? { namespace: vault.namespace } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.vaultTimeoutMs ? { timeoutMs: deps.vaultTimeoutMs } : {}),
  };
  return createVaultBackend({ connection, tokens: vaultTokens(vault.auth, connection, deps) });
}

function vaultTokens(auth: VaultAuthSpec, connection: VaultConnection, deps: PlaceholderBackendDeps): VaultTokenSource {
  const { tokenSecretRef, kubernetes } = auth;
  if (Boolean(tokenSecretRef) === Boolean(kubernetes)) {
    throw new Error('spec.placeholders.vault.auth needs exactly one of tokenSecretRef and kubernetes');
  }
  if (tokenSecretRef) {
    return tokenFromSecret(async () => {
      const data = await deps.readSecret(deps.namespace, tokenSecretRef.name);
      if (!data) throw new Error(`the Vault token Secret ${deps.namespace}/${tokenSecretRef.name} does not exist`);
      return data.token === undefined ? undefined : Buffer.from(data.token, 'base64').toString('utf8');
    });
  }
  const login = kubernetes as NonNullable<VaultAuthSpec['kubernetes']>;
  return kubernetesLogin({
    connection,
    role: login.role,
    ...(login.mountPath ? { mountPath: login.mountPath } : {}),
    serviceAccountToken: () => deps.serviceAccountToken(deps.namespace, login.serviceAccountName, login.audience ?? 'vault'),
  });
}
