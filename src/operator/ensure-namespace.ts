import { isNotFound } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/client.ts';
import { NAMESPACES } from '../kube/resource-types.ts';

export async function ensureNamespace(client: KubeClient, name: string): Promise<void> {
  try {
    await client.get(NAMESPACES, undefined, name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await client.apply(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
}
