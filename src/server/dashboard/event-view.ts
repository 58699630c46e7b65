// The recent Kubernetes Events of one object, newest first, as the dashboard lists them.
import type { KubeObject } from '../../kube/objects.ts';

export interface KubeEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  eventTime?: string;
  lastTimestamp?: string;
  firstTimestamp?: string;
}

export interface EventView {
  type: string;
  reason: string;
  message: string;
  count: number;
  time: string;
}

export function eventViews(events: KubeEvent[], limit = 30): EventView[] {
  return events
    .map((event) => ({
      type: event.type ?? 'Normal',
      reason: event.reason ?? '',
      message: event.message ?? '',
      count: event.count ?? 1,
      time: event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp ?? '',
    }))
    .sort((a, b) => b.time.localeCompare(a.time))
    .slice(0, limit);
}
