// The Secret a GitSync's spec.secretRef names, as stored (base64 data): read for every fetch and for
// every image write-back that pushes to the same repository. Missing, it is a fetch error.
import type { GitSync } from '../../api/git-sync.ts';
import type { KubeClient } from '../../kube/client.ts';
import { readObjectData } from '../../kube/object-data.ts';
import { SECRETS } from '../../kube/resource-types.ts';
import { SyncError } from '../sync-error.ts';

export async function readGitSecret(client: KubeClient, sync: GitSync): Promise<Record<string, string> | undefined> {
  const ref = sync.spec.secretRef;
  if (!ref) return undefined;
  const namespace = sync.metadata?.namespace ?? 'default';
  const data = await readObjectData(client, SECRETS, namespace, ref.name);
  if (!data)
    throw new SyncError('fetch', `Secret ${namespace}/${ref.name} named by GitSync ${sync.metadata?.name}'s spec.secretRef does not exist`);
  return data;
}
