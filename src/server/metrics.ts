// Prometheus metrics of the operator process itself. Each Operator gets its own registry so
// several can run in one test process without clashing.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A watch cache as the cache gauges see it (structural, so metrics need not import the informer). */
export interface MeasuredCache {
  type: { plural: string; group: string };
  footprint: { objects: number; jsonBytes: number };
}

export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconcileTotal: Counter<'kind' | 'result'>;
  readonly reconcileDuration: Histogram<'kind'>;
  readonly apiRequests: Counter<'verb' | 'resource' | 'code'>;
  readonly apiRequestDuration: Histogram<'verb'>;
  readonly watchRestarts: Gauge<'resource'>;
  readonly leader: Gauge;
  readonly queueDepth: Gauge<'kind'>;
  readonly queueWait: Histogram<'kind'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.reconcileTotal = new Counter({
      name: 'wren_reconcile_total',
      help: 'Reconciles by kind and result (success, error)',
      labelNames: ['kind', 'result'],
      registers,
    });
    this.reconcileDuration = new Histogram({
      name: 'wren_reconcile_duration_seconds',
      help: 'Time spent in one reconcile',
      labelNames: ['kind'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.apiRequests = new Counter({
      name: 'wren_kube_api_requests_total',
      help: 'Requests to the Kubernetes API by verb, resource and status code',
      labelNames: ['verb', 'resource', 'code'],
      registers,
    });
    this.apiRequestDuration = new Histogram({
      name: 'wren_kube_api_request_duration_seconds',
      help: 'Latency of requests to the Kubernetes API',
      labelNames: ['verb'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.watchRestarts = new Gauge({
      name: 'wren_informer_watch_restarts',
      help: 'Times an informer had to re-establish its watch after an error',
      labelNames: ['resource'],
      registers,
    });
    this.leader = new Gauge({ name: 'wren_leader', help: '1 when this replica is the leader', registers });
    this.queueWait = new Histogram({
      name: 'wren_workqueue_queue_duration_seconds',
      help: 'Time a key waited in a controller work queue before it was reconciled',
      labelNames: ['kind'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.queueDepth = new Gauge({
      name: 'wren_workqueue_depth',
      help: 'Keys waiting in a controller work queue',
      labelNames: ['kind'],
      registers,
    });
  }

  /** Objects and JSON bytes each watch cache holds, read from the caches at each scrape. */
  observeCaches(caches: () => readonly MeasuredCache[]): void {
    const resource = (cache: MeasuredCache) => (cache.type.group ? `${cache.type.plural}.${cache.type.group}` : cache.type.plural);
    new Gauge({
      name: 'wren_cache_objects',
      help: 'Objects held in a watch cache, by resource',
      labelNames: ['resource'],
      registers: [this.registry],
      collect() {
        for (const cache of caches()) this.set({ resource: resource(cache) }, cache.footprint.objects);
      },
    });
    new Gauge({
      name: 'wren_cache_json_bytes',
      help: 'Size as JSON of the objects held in a watch cache, by resource (a proxy for the heap they take)',
      labelNames: ['resource'],
      registers: [this.registry],
      collect() {
        for (const cache of caches()) this.set({ resource: resource(cache) }, cache.footprint.jsonBytes);
      },
    });
  }
}
