// One way to declare a metric on a registry: its name, help, labels and (for histograms) buckets.
// The metric files of each kind say what they measure; this keeps prom-client's option objects out of them.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface MetricFactory {
  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L>;
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L>;
  histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L>;
}

export function metricsOn(registry: Registry): MetricFactory {
  const registers = [registry];
  return {
    counter: (name, help, labelNames) => new Counter({ name, help, labelNames, registers }),
    gauge: (name, help, labelNames) => new Gauge({ name, help, labelNames, registers }),
    histogram: (name, help, labelNames, buckets) => new Histogram({ name, help, labelNames, buckets, registers }),
  };
}
