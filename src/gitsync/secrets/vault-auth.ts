// Where the Vault token comes from: a Secret (read anew each time, so a rotated token is used at
// once), or a Kubernetes auth login whose client token is kept until its lease is nearly over.
import { vaultErrors, vaultRequest, VaultHttpError, type VaultConnection } from './vault-http.ts';

export interface VaultTokenSource {
  token(): Promise<string>;
  /** Forget a cached token that Vault refused, so the next call logs in again. */
  invalidate(): void;
}

export function tokenFromSecret(readToken: () => Promise<string | undefined>): VaultTokenSource {
  return {
    async token() {
      const token = (await readToken())?.trim();
      if (!token) throw new Error('the Vault token Secret has no key "token"');
      return token;
    },
    invalidate() {},
  };
}

export interface KubernetesLoginOptions {
  connection: VaultConnection;
  role: string;
  /** Auth mount, default "kubernetes". */
  mountPath?: string;
  /** A service account token for Vault to review (the controller does a TokenRequest). */
  serviceAccountToken: () => Promise<string>;
  now?: () => number;
}

/** A login is renewed when this share of its lease is left, so no request carries an expiring token. */
const RENEW_AT_REMAINING = 0.1;

export function kubernetesLogin(options: KubernetesLoginOptions): VaultTokenSource {
  const now = options.now ?? Date.now;
  const mount = (options.mountPath ?? 'kubernetes').replace(/^\/+|\/+$/g, '');
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const login = async (): Promise<string> => {
    const jwt = await options.serviceAccountToken();
    const started = now();
    const { status, body } = await vaultRequest(options.connection, 'POST', `auth/${mount}/login`, { body: { role: options.role, jwt } });
    if (status !== 200) throw new VaultHttpError(`Vault login at auth/${mount} with role "${options.role}"`, status, vaultErrors(body));
    const auth = body?.auth as { client_token?: unknown; lease_duration?: unknown } | undefined;
    if (typeof auth?.client_token !== 'string' || auth.client_token === '') {
      throw new Error(`Vault login at auth/${mount} returned no client token`);
    }
    const leaseMs = typeof auth.lease_duration === 'number' ? auth.lease_duration * 1000 : 0;
    // A lease of 0 is a token without expiry; it is kept until Vault refuses it.
    cached = { token: auth.client_token, renewAt: leaseMs > 0 ? started + leaseMs * (1 - RENEW_AT_REMAINING) : Infinity };
    return auth.client_token;
  };

  return {
    async token() {
      if (cached && now() < cached.renewAt) return cached.token;
      pending ??= login().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
