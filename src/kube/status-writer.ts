// Status goes through the /status subresource with server-side apply, and only when it changed:
// a reconcile that finds nothing new costs no write.
import { isDeepStrictEqual } from 'node:util';
import type { KubeClient } from './client.ts';
import type { KubeObject } from './objects.ts';
import type { ResourceType } from './resource-types.ts';

/** JSON round trip: absent and undefined fields compare equal, as they do on the wire. */
export function normalized<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export async function writeStatusIfChanged(
  client: KubeClient,
  type: ResourceType,
  object: KubeObject & { status?: unknown },
  status: unknown,
): Promise<boolean> {
  const next = normalized(status);
  if (isDeepStrictEqual(next, normalized(object.status))) return false;
  await client.applyStatus(type, {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { name: object.metadata?.name, namespace: object.metadata?.namespace },
    status: next,
  });
  return true;
}
