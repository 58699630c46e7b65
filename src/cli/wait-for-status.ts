// Waiting for a controller to act on a request made through an annotation: it records the value it
// handled in the object's status (GitSync and ImagePolicy lastHandledRequestedAt, ImagePolicy
// lastHandledUnquarantine), which the CLI polls for.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDuration } from '../api/duration.ts';
import type { KubeClient } from '../kube/client.ts';
import type { KubeObject } from '../kube/objects.ts';
import type { ResourceType } from '../kube/resource-types.ts';

/** Milliseconds of a --timeout flag: a duration (2m, 90s) or plain seconds. */
export function parseTimeout(text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs;
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : parseDuration(text);
  if (ms === undefined) throw new Error(`--timeout: "${text}" is not a duration (e.g. 30s, 2m)`);
  return ms;
}

/** The object once `handled` says so, or undefined when the deadline passes first. */
export async function waitForStatus<T extends KubeObject>(
  client: KubeClient,
  type: ResourceType,
  namespace: string,
  name: string,
  handled: (object: T) => boolean,
  timeoutMs: number,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const object = await client.get<T>(type, namespace, name);
    if (handled(object)) return object;
    if (Date.now() >= deadline) return undefined;
    await sleep(1000);
  }
}
