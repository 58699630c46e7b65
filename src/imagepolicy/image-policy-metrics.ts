// ImagePolicy metrics on /metrics: registry scans and write-backs by result, and failures by stage.
// Recorded by the reconciler (the edge) from a PolicyMeasurement; the decisions never see this.
import type { Counter, Registry } from 'prom-client';
import { metricsOn } from '../server/metric-factory.ts';
import type { PolicyMeasurement } from './policy-measurement.ts';

type Labels = 'name' | 'namespace';

export class ImagePolicyMetrics {
  private readonly scans: Counter<Labels | 'result'>;
  private readonly writeBacks: Counter<Labels | 'result'>;
  private readonly failures: Counter<Labels | 'stage'>;

  constructor(registry: Registry) {
    const metric = metricsOn(registry);
    this.scans = metric.counter('wren_imagepolicy_scans_total', 'Registry scans of an ImagePolicy, by result (success, no-match, error)', [
      'name',
      'namespace',
      'result',
    ]);
    this.writeBacks = metric.counter(
      'wren_imagepolicy_write_backs_total',
      'Write-backs of an ImagePolicy, by result (committed, override-set, unchanged, failed, no-target, gitsync-not-found)',
      ['name', 'namespace', 'result'],
    );
    this.failures = metric.counter('wren_imagepolicy_failures_total', 'ImagePolicy reconciles that failed, by stage (scan, write-back)', [
      'name',
      'namespace',
      'stage',
    ]);
  }

  reconciled(namespace: string, name: string, measurement: PolicyMeasurement): void {
    const labels = { name, namespace };
    if (measurement.scan) this.scans.inc({ ...labels, result: measurement.scan });
    if (measurement.writeBack) this.writeBacks.inc({ ...labels, result: measurement.writeBack });
    for (const stage of measurement.failedStages) this.failures.inc({ ...labels, stage });
  }
}
