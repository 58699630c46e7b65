// GitSync metrics on /metrics: how long syncs take, which revision each GitSync has applied, what
// they wrote, the drift they corrected and where they failed. Recorded by the reconciler (the edge)
// from a SyncMeasurement; the decisions never see this.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
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
    const registers = [registry];
    this.duration = new Histogram({
      name: 'wren_gitsync_sync_duration_seconds',
      help: 'Time one GitSync sync took, from fetch to health, by result (success, failure)',
      labelNames: ['name', 'namespace', 'result'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.revision = new Gauge({
      name: 'wren_gitsync_applied_revision_info',
      help: 'The Git revision a GitSync last applied: 1 for the current revision (older revisions are dropped)',
      labelNames: ['name', 'namespace', 'revision'],
      registers,
    });
    this.applied = new Counter({
      name: 'wren_gitsync_objects_applied_total',
      help: 'Objects a GitSync wrote to the cluster, by operation (created, updated, corrected)',
      labelNames: ['name', 'namespace', 'operation'],
      registers,
    });
    this.pruned = new Counter({
      name: 'wren_gitsync_objects_pruned_total',
      help: 'Objects a GitSync deleted because they left Git',
      labelNames: ['name', 'namespace'],
      registers,
    });
    this.corrections = new Counter({
      name: 'wren_gitsync_drift_corrections_total',
      help: 'Objects a GitSync put back after they drifted from Git (selfHeal)',
      labelNames: ['name', 'namespace'],
      registers,
    });
    this.failures = new Counter({
      name: 'wren_gitsync_failures_total',
      help: 'Failed GitSync syncs, by the stage they failed at (fetch, render, decrypt, validate, dry-run, apply, prune, ...)',
      labelNames: ['name', 'namespace', 'stage'],
      registers,
    });
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
