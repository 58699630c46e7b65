// Follows one object (the Canary, its target) from a watch, as kubectl get -w does: the object as
// listed, then every change the API server streams. A watch that ends is resumed from the last version
// seen; one that expired (410 Gone) lists again. No polling.
import { setTimeout as sleep } from 'node:timers/promises';
import { isGone, KubeApiError } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/client.ts';
import type { KubeObject } from '../kube/objects.ts';
import type { ResourceType } from '../kube/resource-types.ts';
import { watchStream } from '../kube/watch-stream.ts';

export class ObjectGone extends Error {
  constructor(kind: string, namespace: string, name: string, deleted: boolean) {
    const what = `${kind.toLowerCase()} ${namespace}/${name}`;
    super(deleted ? `${what} was deleted` : `${what} not found`);
    this.name = 'ObjectGone';
  }
}

/** Calls `onObject` with each version of the object until it returns true, the signal aborts, or the object is deleted. */
export async function followObject<T extends KubeObject>(
  client: KubeClient,
  type: ResourceType,
  namespace: string,
  name: string,
  onObject: (object: T) => Promise<boolean> | boolean,
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
  const handle = (object: T) => {
    handled = handled.then(async () => {
      try {
        if (!stop.aborted && (await onObject(object))) done.abort();
      } catch (error) {
        failure ??= error;
        done.abort();
      }
    });
  };
  while (!stop.aborted) {
    try {
      if (!resourceVersion) {
        const list = await client.list<T>(type, namespace, { fieldSelector });
        const [object] = list.items;
        if (!object) throw new ObjectGone(type.kind, namespace, name, false);
        resourceVersion = list.metadata?.resourceVersion ?? '';
        handle(object);
      }
      let deleted = false;
      await watchStream<T>(
        client,
        type,
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
      if (deleted) throw new ObjectGone(type.kind, namespace, name, true);
    } catch (error) {
      if (stop.aborted) break;
      if (error instanceof ObjectGone || refused(error)) throw error;
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
