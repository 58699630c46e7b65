// Canary metrics on /metrics, named as Flagger's are (wren_ instead of flagger_), so existing
// dashboards port over: status 0 running, 1 succeeded, 2 failed.
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricsOn } from '../server/metric-factory.ts';
import type { CanaryPhase } from '../api/canary.ts';
import type { CheckRecord } from './latest-checks.ts';
import { checkResult } from './new-checks.ts';

const RUNNING_PHASES = new Set<CanaryPhase>(['Progressing', 'Waiting', 'WaitingPromotion', 'Promoting', 'Finalising']);

export function statusValue(phase: CanaryPhase): number {
  if (phase === 'Failed') return 2;
  return RUNNING_PHASES.has(phase) ? 0 : 1;
}

export class CanaryMetrics {
  private readonly status: Gauge<'name' | 'namespace'>;
  private readonly weight: Gauge<'name' | 'namespace'>;
  private readonly total: Gauge<'namespace'>;
  private readonly duration: Histogram<'name' | 'namespace'>;
  private readonly successes: Counter<'name' | 'namespace'>;
  private readonly failures: Counter<'name' | 'namespace' | 'reason'>;
  private readonly checks: Counter<'name' | 'namespace' | 'check' | 'kind' | 'result'>;
  private readonly checkValue: Gauge<'name' | 'namespace' | 'check'>;
  private readonly known = new Map<string, string>();
  /** The checks with a value series, per Canary, to drop them when it goes. */
  private readonly valued = new Map<string, Set<string>>();

  constructor(registry: Registry) {
    const metric = metricsOn(registry);
    this.status = metric.gauge('wren_canary_status', 'Canary status: 0 running, 1 succeeded or idle, 2 failed', ['name', 'namespace']);
    this.weight = metric.gauge('wren_canary_weight', 'Traffic weight routed to the canary', ['name', 'namespace']);
    this.total = metric.gauge('wren_canary_total', 'Canaries per namespace', ['namespace']);
    this.duration = metric.histogram(
      'wren_canary_duration_seconds',
      'Duration of finished canary runs, from new revision to promotion or rollback',
      ['name', 'namespace'],
      [30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
    );
    this.successes = metric.counter('wren_canary_successes_total', 'Promoted canary runs', ['name', 'namespace']);
    this.failures = metric.counter('wren_canary_failures_total', 'Rolled back canary runs, by reason', ['name', 'namespace', 'reason']);
    this.checks = metric.counter(
      'wren_canary_checks_total',
      'Metric and webhook checks of canary analysis, by check, kind (metric, webhook) and result (passed, failed, inconclusive)',
      ['name', 'namespace', 'check', 'kind', 'result'],
    );
    this.checkValue = metric.gauge('wren_canary_check_value', 'The value a metric check of canary analysis measured last', [
      'name',
      'namespace',
      'check',
    ]);
  }

  /** Checks this reconcile added to status (see newChecks), oldest first. */
  checked(namespace: string, name: string, checks: CheckRecord[]): void {
    for (const check of checks) {
      this.checks.inc({ name, namespace, check: check.name, kind: check.kind, result: checkResult(check) });
      if (check.value === undefined || !Number.isFinite(check.value)) continue;
      this.checkValue.set({ name, namespace, check: check.name }, check.value);
      const key = `${namespace}/${name}`;
      const valued = this.valued.get(key) ?? new Set<string>();
      valued.add(check.name);
      this.valued.set(key, valued);
    }
  }

  observe(namespace: string, name: string, phase: CanaryPhase, weight: number): void {
    const key = `${namespace}/${name}`;
    if (!this.known.has(key)) {
      this.known.set(key, namespace);
      this.total.inc({ namespace });
    }
    this.status.set({ name, namespace }, statusValue(phase));
    this.weight.set({ name, namespace }, weight);
  }

  finished(
    namespace: string,
    name: string,
    outcome: 'Succeeded' | 'Failed',
    reason: string,
    runStartedAt: string | undefined,
    now: Date,
  ): void {
    if (outcome === 'Succeeded') this.successes.inc({ name, namespace });
    else this.failures.inc({ name, namespace, reason });
    const started = runStartedAt ? Date.parse(runStartedAt) : Number.NaN;
    if (Number.isFinite(started)) this.duration.observe({ name, namespace }, (now.getTime() - started) / 1000);
  }

  forget(key: string): void {
    const namespace = this.known.get(key);
    if (namespace === undefined) return;
    this.known.delete(key);
    this.total.dec({ namespace });
    const name = key.slice(namespace.length + 1);
    this.status.remove({ name, namespace });
    this.weight.remove({ name, namespace });
    for (const check of this.valued.get(key) ?? []) this.checkValue.remove({ name, namespace, check });
    this.valued.delete(key);
  }
}
