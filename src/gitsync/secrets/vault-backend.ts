// Placeholder paths as Vault KV secrets, addressed the way argocd-vault-plugin addresses them: the full
// API path, with data/ for KV v2 (secret/data/app). KV v2 answers data.data, KV v1 answers data.
import { PathNotFoundError, type PlaceholderBackend } from './placeholder-backend.ts';
import type { VaultTokenSource } from './vault-auth.ts';
import { vaultErrors, vaultRequest, VaultHttpError, type VaultConnection } from './vault-http.ts';

export interface VaultBackendOptions {
  connection: VaultConnection;
  tokens: VaultTokenSource;
}

export function createVaultBackend(options: VaultBackendOptions): PlaceholderBackend {
  const get = async (path: string, query: Record<string, string>) => {
    const response = await vaultRequest(options.connection, 'GET', path, { token: await options.tokens.token(), query });
    if (response.status !== 403) return response;
    // A revoked or expired login: log in once more before giving up.
    options.tokens.invalidate();
    return vaultRequest(options.connection, 'GET', path, { token: await options.tokens.token(), query });
  };

  return {
    async read(path, version, readOptions) {
      const kvVersion = readOptions?.kvVersion ?? '2';
      if (kvVersion !== '1' && kvVersion !== '2') throw new Error(`unsupported kv-version "${kvVersion}" (use 1 or 2)`);
      const clean = path.replace(/^\/+|\/+$/g, '');
      const { status, body } = await get(clean, kvVersion === '2' && version ? { version } : {});
      if (status === 404) throw new PathNotFoundError(path);
      if (status !== 200) throw new VaultHttpError(`Vault GET ${clean}`, status, vaultErrors(body));
      const data = body?.data;
      if (kvVersion === '1') {
        if (!isRecord(data)) throw new PathNotFoundError(path);
        return data;
      }
      if (isRecord(data) && isRecord(data.data)) return data.data;
      if (isRecord(data) && data.data === null) throw new PathNotFoundError(path, 'this version was deleted');
      throw new Error(`Vault returned no KV v2 data at "${path}"; KV v2 paths include data/ (e.g. secret/data/app)`);
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
