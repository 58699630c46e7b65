// Waiting for the controller to act on a sync request: it records the annotation value it handled in
// status.lastHandledRequestedAt once the sync it started has finished.
import { setTimeout as sleep } from 'node:timers/promises';
import type { GitSync } from '../../api/git-sync.ts';
import { parseDuration } from '../../api/duration.ts';
import type { KubeClient } from '../../kube/client.ts';
import { GIT_SYNCS } from '../../kube/resource-types.ts';

/** Milliseconds of a --timeout flag: a duration (2m, 90s) or plain seconds. */
export function parseTimeout(text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs;
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : parseDuration(text);
  if (ms === undefined) throw new Error(`--timeout: "${text}" is not a duration (e.g. 30s, 2m)`);
  return ms;
}

/** The GitSync once it has handled `requestedAt`, or undefined when the deadline passes first. */
export async function waitUntilHandled(
  client: KubeClient,
  namespace: string,
  name: string,
  requestedAt: string,
  timeoutMs: number,
): Promise<GitSync | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const gitSync = await client.get<GitSync>(GIT_SYNCS, namespace, name);
    if (gitSync.status?.lastHandledRequestedAt === requestedAt) return gitSync;
    if (Date.now() >= deadline) return undefined;
    await sleep(1000);
  }
}
