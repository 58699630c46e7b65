// Kubernetes Events for users (kubectl describe, kubectl get events). Repeats of the same event on
// the same object within the aggregation window bump its count instead of creating new objects.
// Recording never fails a reconcile: an event that cannot be written is logged and dropped.
import type { Logger } from 'pino';
import { rfc3339 } from '../api/conditions.ts';
import { errorMessage } from '../errors.ts';
import type { KubeClient } from './client.ts';
import type { KubeObject } from './objects.ts';
import { EVENTS } from './resource-types.ts';

export type EventType = 'Normal' | 'Warning';

interface RecordedEvent {
  name: string;
  namespace: string;
  count: number;
  lastSeen: number;
}

const AGGREGATION_WINDOW_MS = 10 * 60_000;
const MAX_REMEMBERED = 4096;

export class EventRecorder {
  private readonly client: KubeClient;
  private readonly log: Logger;
  private readonly instance: string;
  private readonly recent = new Map<string, RecordedEvent>();
  private readonly component: { source: string; reporting: string };

  /** `component`: who the events say reported them (the operator by default; the local runtime reports as a kubelet). */
  constructor(client: KubeClient, log: Logger, instance: string, component = { source: 'wren', reporting: 'wren.dev/operator' }) {
    this.client = client;
    this.log = log.child({ component: 'events' });
    this.instance = instance;
    this.component = component;
  }

  async record(object: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const metadata = object.metadata ?? {};
    const namespace = metadata.namespace ?? 'default';
    const key = `${metadata.uid}|${type}|${reason}|${message}`;
    const now = new Date();
    try {
      const previous = this.recent.get(key);
      if (previous && now.getTime() - previous.lastSeen < AGGREGATION_WINDOW_MS) {
        previous.count += 1;
        previous.lastSeen = now.getTime();
        await this.client.mergePatch(EVENTS, previous.namespace, previous.name, {
          count: previous.count,
          lastTimestamp: rfc3339(now),
        });
        return;
      }
      const created = await this.client.create(EVENTS, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: `${metadata.name ?? 'object'}.`, namespace } as KubeObject['metadata'],
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: metadata.name,
          namespace: metadata.namespace,
          uid: metadata.uid,
          resourceVersion: metadata.resourceVersion,
        },
        type,
        reason,
        message,
        count: 1,
        firstTimestamp: rfc3339(now),
        lastTimestamp: rfc3339(now),
        source: { component: this.component.source },
        reportingComponent: this.component.reporting,
        reportingInstance: this.instance,
      });
      this.remember(key, { name: created.metadata?.name ?? '', namespace, count: 1, lastSeen: now.getTime() });
    } catch (error) {
      this.recent.delete(key);
      this.log.warn({ err: errorMessage(error), reason, object: `${namespace}/${metadata.name}` }, 'could not record event');
    }
  }

  private remember(key: string, event: RecordedEvent): void {
    if (this.recent.size >= MAX_REMEMBERED) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
    this.recent.set(key, event);
  }
}
