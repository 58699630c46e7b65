// Prometheus metrics of the operator process itself. Each Operator gets its own registry so
// several can run in one test process without clashing.
import { Gauge, Registry, collectDefaultMetrics, type Counter, type Histogram } from 'prom-client';
import { metricsOn } from './metric-factory.ts';

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
    const metric = metricsOn(this.registry);
    this.reconcileTotal = metric.counter('wren_reconcile_total', 'Reconciles by kind and result (success, error)', ['kind', 'result']);
    this.reconcileDuration = metric.histogram(
      'wren_reconcile_duration_seconds',
      'Time spent in one reconcile',
      ['kind'],
      [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    );
    this.apiRequests = metric.counter('wren_kube_api_requests_total', 'Requests to the Kubernetes API by verb, resource and status code', [
      'verb',
      'resource',
      'code',
    ]);
    this.apiRequestDuration = metric.histogram(
      'wren_kube_api_request_duration_seconds',
      'Latency of requests to the Kubernetes API',
      ['verb'],
      [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    );
    this.watchRestarts = metric.gauge('wren_informer_watch_restarts', 'Times an informer had to re-establish its watch after an error', [
      'resource',
    ]);
    this.leader = metric.gauge('wren_leader', '1 when this replica is the leader', []);
    this.queueWait = metric.histogram(
      'wren_workqueue_queue_duration_seconds',
      'Time a key waited in a controller work queue before it was reconciled',
      ['kind'],
      [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    );
    this.queueDepth = metric.gauge('wren_workqueue_depth', 'Keys waiting in a controller work queue', ['kind']);
  }

  /** With --shards: how many shards this replica holds, read at each scrape. */
  observeShards(held: () => number): void {
    new Gauge({
      name: 'wren_shards_held',
      help: 'Shards whose Lease this replica holds and whose objects it reconciles (with --shards)',
      registers: [this.registry],
      collect() {
        this.set(held());
      },
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
