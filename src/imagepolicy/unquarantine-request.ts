// Lifting a quarantine travels as an annotation, like a sync request (see gitsync/sync-request.ts):
// wren.dev/unquarantine: "<tag>@<RFC3339 time>". The time keeps two requests for the same tag apart;
// the controller acts whenever the value differs from status.lastHandledUnquarantine, then records it.
import { IMAGE_POLICIES } from '../kube/resource-types.ts';
import type { KubeClient } from '../kube/client.ts';
import { requestedAtValue } from '../gitsync/sync-request.ts';

export const UNQUARANTINE_ANNOTATION = 'wren.dev/unquarantine';

export function unquarantineValue(tag: string, now: Date): string {
  return `${tag}@${requestedAtValue(now)}`;
}

/** The tag a request names; undefined when the value is not "<tag>@<time>" (tags never hold '@'). */
export function requestedTag(value: string): string | undefined {
  const at = value.indexOf('@');
  const tag = at > 0 ? value.slice(0, at) : '';
  return tag !== '' && !Number.isNaN(Date.parse(value.slice(at + 1))) ? tag : undefined;
}

/** Asks the controller to lift `tag`; returns the annotation value to wait for in status. */
export async function requestUnquarantine(
  client: KubeClient,
  namespace: string,
  name: string,
  tag: string,
  now = new Date(),
): Promise<string> {
  const value = unquarantineValue(tag, now);
  await client.mergePatch(IMAGE_POLICIES, namespace, name, { metadata: { annotations: { [UNQUARANTINE_ANNOTATION]: value } } });
  return value;
}
