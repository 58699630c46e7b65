// A sync on demand travels as an annotation, so the CLI and the webhook receiver need nothing but
// permission to annotate: wren.dev/requested-at: "<RFC3339 time>". The controller syncs (fetching the
// remote again) whenever the value differs from status.lastHandledRequestedAt, then records it there.
import type { KubeClient } from '../kube/client.ts';
import { GIT_SYNCS, type ResourceType } from '../kube/resource-types.ts';

export const REQUESTED_AT_ANNOTATION = 'wren.dev/requested-at';

/** The annotation value for a request made at `now`; milliseconds keep two quick requests apart. */
export function requestedAtValue(now: Date): string {
  return now.toISOString();
}

/** Whether the annotation asks for something the controller has not handled yet. */
export function isNewRequest(requestedAt: string | undefined, lastHandledRequestedAt: string | undefined): boolean {
  return requestedAt !== undefined && requestedAt !== lastHandledRequestedAt;
}

/** Asks the controller of any Wren kind that honours the annotation (GitSync, ImagePolicy) to act now. */
export async function requestReconcile(
  client: KubeClient,
  type: ResourceType,
  namespace: string,
  name: string,
  now = new Date(),
): Promise<void> {
  await client.mergePatch(type, namespace, name, {
    metadata: { annotations: { [REQUESTED_AT_ANNOTATION]: requestedAtValue(now) } },
  });
}

export function requestSync(client: KubeClient, namespace: string, name: string, now = new Date()): Promise<void> {
  return requestReconcile(client, GIT_SYNCS, namespace, name, now);
}
