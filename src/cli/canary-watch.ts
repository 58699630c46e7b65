// Follows one Canary from a watch, as kubectl get -w does: the object as listed, then every change
// the API server streams. A watch that ends is resumed from the last version seen; one that expired
// (410 Gone) lists again. No polling.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Canary } from '../api/canary.ts';
import { isGone, KubeApiError } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/client.ts';
import { CANARIES } from '../kube/resource-types.ts';
import { watchStream } from '../kube/watch-stream.ts';

export class CanaryGone extends Error {
  constructor(namespace: string, name: string, deleted: boolean) {
    super(deleted ? `canary ${namespace}/${name} was deleted` : `canary ${namespace}/${name} not found`);
    this.name = 'CanaryGone';
  }
}

/** Calls `onCanary` with each version of the Canary until it returns true, the signal aborts, or the Canary is deleted. */
export async function followCanary(
  client: KubeClient,
  namespace: string,
  name: string,
  onCanary: (canary: Canary) => Promise<boolean> | boolean,
  signal: AbortSignal,
): Promise<void> {
  const fieldSelector = `metadata.name=${name}`;
  const done = new AbortController();
  const stop = AbortSignal.any([signal, done.signal]);
  let resourceVersion = '';
  // Changes are handled one at a time, in order, even when the handler is slow.
  // A handler that throws ends the watch with its error.
  let handled = Promise.resolve();
  let failure: unknown;
  const handle = (canary: Canary) => {
    handled = handled.then(async () => {
      try {
        if (!stop.aborted && (await onCanary(canary))) done.abort();
      } catch (error) {
        failure ??= error;
        done.abort();
      }
    });
  };
  while (!stop.aborted) {
    try {
      if (!resourceVersion) {
        const list = await client.list<Canary>(CANARIES, namespace, { fieldSelector });
        const [canary] = list.items;
        if (!canary) throw new CanaryGone(namespace, name, false);
        resourceVersion = list.metadata?.resourceVersion ?? '';
        handle(canary);
      }
      let deleted = false;
      await watchStream<Canary>(
        client,
        CANARIES,
        namespace,
        { resourceVersion, timeoutSeconds: 300, fieldSelector },
        (event) => {
          resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
          if (event.type === 'DELETED') deleted = true;
          else if (event.type !== 'BOOKMARK') handle(event.object);
        },
        stop,
      );
      await handled;
      if (deleted) throw new CanaryGone(namespace, name, true);
    } catch (error) {
      if (stop.aborted) break;
      if (error instanceof CanaryGone || refused(error)) throw error;
      if (isGone(error)) resourceVersion = '';
      else await sleep(1000, undefined, { signal: stop }).catch(() => undefined);
    }
  }
  await handled;
  if (failure !== undefined) throw failure;
}

/** A request the API server refuses (forbidden, invalid) will not succeed on retry; an outage or throttling may. */
const refused = (error: unknown) =>
  error instanceof KubeApiError && error.statusCode >= 400 && error.statusCode < 500 && ![410, 429].includes(error.statusCode);
