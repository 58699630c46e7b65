// The leader Lease lives in a namespace that must exist: without it the operator would retry the
// Lease for ever and never lead. Checked once at start: a missing namespace is created when the
// operator may create namespaces, otherwise the start is refused with what to do about it.
import { isNotFound, KubeApiError } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/client.ts';
import { NAMESPACES } from '../kube/resource-types.ts';

export class LeaseNamespaceMissing extends Error {}

export type LeaseNamespaceCheck = 'exists' | 'created' | 'unknown';

const isForbidden = (error: unknown) => error instanceof KubeApiError && error.statusCode === 403;

export async function prepareLeaseNamespace(client: KubeClient, namespace: string): Promise<LeaseNamespaceCheck> {
  try {
    await client.get(NAMESPACES, undefined, namespace);
    return 'exists';
  } catch (error) {
    // Not allowed to read namespaces: the Lease requests themselves will tell.
    if (isForbidden(error)) return 'unknown';
    if (!isNotFound(error)) throw error;
  }
  try {
    await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    return 'created';
  } catch (error) {
    if (error instanceof KubeApiError && error.statusCode === 409) return 'exists';
    if (!isForbidden(error)) throw error;
    throw new LeaseNamespaceMissing(
      `the namespace ${namespace} for the leader Lease does not exist and this operator may not create it: ` +
        `create it (kubectl create namespace ${namespace}), or start with --lease-namespace NS naming one that exists, or --no-leader-elect`,
    );
  }
}
