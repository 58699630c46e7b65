// ImagePolicy metrics on /metrics: registry scans and write-backs by result, and failures by stage.
// Recorded by the reconciler (the edge) from a PolicyMeasurement; the decisions never see this.
import { Counter, type Registry } from 'prom-client';
import type { PolicyMeasurement } from './policy-measurement.ts';

type Labels = 'name' | 'namespace';

export class ImagePolicyMetrics {
  private readonly scans: Counter<Labels | 'result'>;
  private readonly writeBacks: Counter<Labels | 'result'>;
  private readonly failures: Counter<Labels | 'stage'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.scans = new Counter({
      name: 'wren_imagepolicy_scans_total',
      help: 'Registry scans of an ImagePolicy, by result (success, no-match, error)',
      labelNames: ['name', 'namespace', 'result'],
      registers,
    });
    this.writeBacks = new Counter({
      name: 'wren_imagepolicy_write_backs_total',
      help: 'Write-backs of an ImagePolicy, by result (committed, override-set, unchanged, failed, no-target, gitsync-not-found)',
      labelNames: ['name', 'namespace', 'result'],
      registers,
    });
    this.failures = new Counter({
      name: 'wren_imagepolicy_failures_total',
      help: 'ImagePolicy reconciles that failed, by stage (scan, write-back)',
      labelNames: ['name', 'namespace', 'stage'],
      registers,
    });
  }

  reconciled(namespace: string, name: string, measurement: PolicyMeasurement): void {
    const labels = { name, namespace };
    if (measurement.scan) this.scans.inc({ ...labels, result: measurement.scan });
    if (measurement.writeBack) this.writeBacks.inc({ ...labels, result: measurement.writeBack });
    for (const stage of measurement.failedStages) this.failures.inc({ ...labels, stage });
  }
}
