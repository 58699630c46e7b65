// Secrets are compared by digest: the live-object cache keeps a digest of each value instead of the
// value, so the operator's memory holds no cluster secret it does not need, and desired Secrets are
// reduced the same way before they are compared.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../kube/objects.ts';

const digest = (base64: string) => `sha256:${createHash('sha256').update(base64).digest('hex').slice(0, 32)}`;

function digestValues(values: unknown): Record<string, string> | undefined {
  if (!values || typeof values !== 'object') return undefined;
  return Object.fromEntries(Object.entries(values as Record<string, string>).map(([key, value]) => [key, digest(String(value))]));
}

/** A Secret with data (and stringData, folded into data as the API server does) replaced by digests. */
export function withSecretDigests(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret' || (object.apiVersion ?? 'v1') !== 'v1') return object;
  const stringData = (object.stringData ?? {}) as Record<string, string>;
  const data: Record<string, string> = { ...((object.data ?? {}) as Record<string, string>) };
  for (const [key, value] of Object.entries(stringData)) data[key] = Buffer.from(value, 'utf8').toString('base64');
  const { stringData: _folded, data: _plain, ...rest } = object;
  const digests = digestValues(data);
  return Object.keys(data).length > 0 || 'data' in object ? { ...rest, data: digests } : rest;
}
