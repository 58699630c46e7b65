// The client.authentication.k8s.io exec protocol, as pure functions: what a plugin is told (the
// KUBERNETES_EXEC_INFO document), what its answer means, and how long that answer may be used.
// Errors never quote the plugin's output: it holds the credential.
import type { ExecPluginConfig } from './cluster-access.ts';

export interface ExecCredential {
  token?: string;
  clientCert?: string;
  clientKey?: string;
  /** Milliseconds since the epoch; undefined means the plugin set no expiry. */
  expiresAt?: number;
}

export interface ExecClusterInfo {
  server: string;
  caPem?: string;
  insecureSkipVerify: boolean;
  serverName?: string;
}

/** A credential this close to its expiry is fetched again rather than used. */
export const EXPIRY_MARGIN_MS = 30_000;

export function execInfo(config: ExecPluginConfig, cluster: ExecClusterInfo): string {
  const spec: Record<string, unknown> = { interactive: false };
  if (config.provideClusterInfo) {
    spec.cluster = {
      server: cluster.server,
      ...(cluster.serverName ? { 'tls-server-name': cluster.serverName } : {}),
      ...(cluster.insecureSkipVerify ? { 'insecure-skip-tls-verify': true } : {}),
      ...(cluster.caPem ? { 'certificate-authority-data': Buffer.from(cluster.caPem).toString('base64') } : {}),
    };
  }
  return JSON.stringify({ apiVersion: config.apiVersion, kind: 'ExecCredential', spec });
}

export function parseExecCredential(command: string, apiVersion: string, stdout: string): ExecCredential {
  const fail = (why: string) => new Error(`exec credential plugin ${command}: ${why}`);
  let document: { apiVersion?: unknown; kind?: unknown; status?: Record<string, unknown> };
  try {
    document = JSON.parse(stdout);
  } catch {
    throw fail('its output is not JSON');
  }
  if (document?.kind !== 'ExecCredential') throw fail('its output is not an ExecCredential');
  if (document.apiVersion !== apiVersion) throw fail(`it answered with apiVersion ${String(document.apiVersion)}, not ${apiVersion}`);
  const status = document.status;
  if (!status || typeof status !== 'object') throw fail('its ExecCredential has no status');
  const text = (field: string): string | undefined => {
    const value = status[field];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw fail(`status.${field} must be a string`);
    return value;
  };
  const token = text('token');
  const clientCert = text('clientCertificateData');
  const clientKey = text('clientKeyData');
  if (!token && !clientCert) throw fail('its ExecCredential has neither status.token nor status.clientCertificateData');
  if (!!clientCert !== !!clientKey) throw fail('status.clientCertificateData and status.clientKeyData must come together');
  const expiry = text('expirationTimestamp');
  const expiresAt = expiry === undefined ? undefined : Date.parse(expiry);
  if (expiresAt !== undefined && Number.isNaN(expiresAt)) throw fail('status.expirationTimestamp is not a timestamp');
  return {
    ...(token ? { token } : {}),
    ...(clientCert ? { clientCert, clientKey } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
}

/** Whether a cached answer may still be used at `now`. Without an expiry it may, until the process asks again. */
export function credentialUsable(credential: ExecCredential | undefined, now: number): credential is ExecCredential {
  if (!credential) return false;
  return credential.expiresAt === undefined || credential.expiresAt - EXPIRY_MARGIN_MS > now;
}
