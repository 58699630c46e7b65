// The data of a Secret (base64, as stored) or ConfigMap, or undefined when the object does not exist.
import { isNotFound } from './api-error.ts';
import type { KubeClient } from './client.ts';
import type { KubeObject } from './objects.ts';
import type { ResourceType } from './resource-types.ts';

type DataObject = KubeObject & { data?: Record<string, string> };

export async function readObjectData(
  client: KubeClient,
  type: ResourceType,
  namespace: string,
  name: string,
): Promise<Record<string, string> | undefined> {
  try {
    return (await client.get<DataObject>(type, namespace, name)).data ?? {};
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
