// One watch request: streams events until the server ends it, the caller aborts, or the stream
// goes silent for longer than the server promised (a dead connection that never reset).
import { KubeApiError, type KubeStatus } from './api-error.ts';
import type { KubeClient } from './client.ts';
import type { KubeObject } from './objects.ts';
import { collectionPath, type ResourceType } from './resource-types.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

export interface WatchParams {
  resourceVersion: string;
  timeoutSeconds: number;
  labelSelector?: string;
  fieldSelector?: string;
  /** How long past timeoutSeconds a silent stream is tolerated before it counts as dead (default 30s). */
  silenceGraceMs?: number;
}

export class SilentWatchError extends Error {
  constructor(ms: number) {
    super(`watch received nothing for ${Math.round(ms / 1000)}s; reconnecting`);
    this.name = 'SilentWatchError';
  }
}

export async function watchStream<T extends KubeObject>(
  client: KubeClient,
  type: ResourceType,
  namespace: string | undefined,
  params: WatchParams,
  onEvent: (event: WatchEvent<T>) => void,
  signal: AbortSignal,
): Promise<void> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  const idleLimitMs = params.timeoutSeconds * 1000 + (params.silenceGraceMs ?? 30_000);
  let silent = false;
  let idleTimer = setTimeout(() => undefined, 0);
  const armIdleTimer = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      silent = true;
      controller.abort();
    }, idleLimitMs);
  };
  const path = collectionPath(type, namespace);
  try {
    armIdleTimer();
    const response = await client.transport.send({
      method: 'GET',
      path,
      query: {
        watch: 1,
        allowWatchBookmarks: true,
        resourceVersion: params.resourceVersion,
        timeoutSeconds: params.timeoutSeconds,
        labelSelector: params.labelSelector,
        fieldSelector: params.fieldSelector,
      },
      signal: controller.signal,
    });
    if (response.status !== 200) {
      const text = await response.text();
      throw new KubeApiError('WATCH', path, response.status, parseJson(text) as KubeStatus | undefined, text.slice(0, 300));
    }
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of response.body) {
      armIdleTimer();
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) dispatch<T>(line, path, onEvent);
        newline = buffered.indexOf('\n');
      }
    }
  } catch (error) {
    if (silent) throw new SilentWatchError(idleLimitMs);
    if (signal.aborted) return;
    throw error;
  } finally {
    clearTimeout(idleTimer);
    signal.removeEventListener('abort', abort);
  }
}

function dispatch<T extends KubeObject>(line: string, path: string, onEvent: (event: WatchEvent<T>) => void): void {
  const event = parseJson(line) as WatchEvent<T> | undefined;
  if (!event?.type) return;
  if (event.type === 'ERROR') {
    const status = event.object as unknown as KubeStatus;
    throw new KubeApiError('WATCH', path, status.code ?? 500, status, status.message ?? 'watch error');
  }
  onEvent(event);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
