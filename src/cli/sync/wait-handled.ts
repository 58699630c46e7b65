// Waiting for the controller to act on a sync request: it records the annotation value it handled in
// status.lastHandledRequestedAt once the sync it started has finished.
import type { GitSync } from '../../api/git-sync.ts';
import type { KubeClient } from '../../kube/client.ts';
import { GIT_SYNCS } from '../../kube/resource-types.ts';
import { waitForStatus } from '../wait-for-status.ts';

/** The GitSync once it has handled `requestedAt`, or undefined when the deadline passes first. */
export function waitUntilHandled(
  client: KubeClient,
  namespace: string,
  name: string,
  requestedAt: string,
  timeoutMs: number,
): Promise<GitSync | undefined> {
  return waitForStatus<GitSync>(
    client,
    GIT_SYNCS,
    namespace,
    name,
    (gitSync) => gitSync.status?.lastHandledRequestedAt === requestedAt,
    timeoutMs,
  );
}
