// GitSync metrics on /metrics: how long syncs take, which revision each GitSync has applied, what
// they wrote, the drift they corrected and where they failed. Recorded by the reconciler (the edge)
// from a SyncMeasurement; the decisions never see this.
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricsOn } from '../server/metric-factory.ts';
import type { SyncMeasurement } from './sync-measurement.ts';

type Labels = 'name' | 'namespace';

export class GitSyncMetrics {
  private readonly duration: Histogram<Labels | 'result'>;
  private readonly revision: Gauge<Labels | 'revision'>;
  private readonly applied: Counter<Labels | 'operation'>;
  private readonly pruned: Counter<Labels>;
  private readonly corrections: Counter<Labels>;
  private readonly failures: Counter<Labels | 'stage'>;
  /** The revision each GitSync's info series carries now, so the old label set is dropped on change. */
  private readonly revisions = new Map<string, string>();

  constructor(registry: Registry) {
    const metric = metricsOn(registry);
    this.duration = metric.histogram(
      'wren_gitsync_sync_duration_seconds',
      'Time one GitSync sync took, from fetch to health, by result (success, failure)',
      ['name', 'namespace', 'result'],
      [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    );
    this.revision = metric.gauge(
      'wren_gitsync_applied_revision_info',
      'The Git revision a GitSync last applied: 1 for the current revision (older revisions are dropped)',
      ['name', 'namespace', 'revision'],
    );
    this.applied = metric.counter(
      'wren_gitsync_objects_applied_total',
      'Objects a GitSync wrote to the cluster, by operation (created, updated, corrected)',
      ['name', 'namespace', 'operation'],
    );
    this.pruned = metric.counter('wren_gitsync_objects_pruned_total', 'Objects a GitSync deleted because they left Git', [
      'name',
      'namespace',
    ]);
    this.corrections = metric.counter(
      'wren_gitsync_drift_corrections_total',
      'Objects a GitSync put back after they drifted from Git (selfHeal)',
      ['name', 'namespace'],
    );
    this.failures = metric.counter(
      'wren_gitsync_failures_total',
      'Failed GitSync syncs, by the stage they failed at (fetch, render, decrypt, validate, dry-run, apply, prune, ...)',
      ['name', 'namespace', 'stage'],
    );
  }

  synced(namespace: string, name: string, measurement: SyncMeasurement, seconds: number): void {
    const labels = { name, namespace };
    this.duration.observe({ ...labels, result: measurement.result }, seconds);
    for (const [operation, count] of Object.entries(measurement.applied)) {
      if (count > 0) this.applied.inc({ ...labels, operation }, count);
    }
    if (measurement.pruned > 0) this.pruned.inc(labels, measurement.pruned);
    if (measurement.driftCorrections > 0) this.corrections.inc(labels, measurement.driftCorrections);
    if (measurement.failedStage) this.failures.inc({ ...labels, stage: measurement.failedStage });
  }

  /** Mirrors status.lastAppliedRevision: one series per GitSync, set to 1. */
  appliedRevision(namespace: string, name: string, revision: string | undefined): void {
    const key = `${namespace}/${name}`;
    const previous = this.revisions.get(key);
    if (previous === revision) return;
    if (previous !== undefined) this.revision.remove({ name, namespace, revision: previous });
    if (revision === undefined) {
      this.revisions.delete(key);
      return;
    }
    this.revisions.set(key, revision);
    this.revision.set({ name, namespace, revision }, 1);
  }

  /** A deleted GitSync applies no revision any more. */
  forget(key: string): void {
    const slash = key.indexOf('/');
    this.appliedRevision(key.slice(0, slash), key.slice(slash + 1), undefined);
  }
}
