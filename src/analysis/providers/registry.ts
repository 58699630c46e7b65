// Metric providers by spec.provider.type. Adding a provider: one file implementing MetricProvider,
// its type in METRIC_PROVIDER_TYPES, one line here.
import { METRIC_PROVIDER_TYPES } from '../../api/metric-template.ts';
import { graphiteProvider } from './graphite.ts';
import { influxdbProvider } from './influxdb.ts';
import type { MetricProvider } from './metric-provider.ts';
import { prometheusProvider } from './prometheus.ts';
import { webProvider } from './web.ts';
import { datadogProvider } from './datadog.ts';
import { newRelicProvider } from './newrelic.ts';
import { dynatraceProvider } from './dynatrace.ts';
import { cloudWatchProvider } from './cloudwatch.ts';
import { stackdriverProvider } from './stackdriver.ts';

type MetricProviderType = (typeof METRIC_PROVIDER_TYPES)[number];

const PROVIDERS: Record<MetricProviderType, MetricProvider> = {
  prometheus: prometheusProvider,
  web: webProvider,
  influxdb: influxdbProvider,
  graphite: graphiteProvider,
  datadog: datadogProvider,
  newrelic: newRelicProvider,
  dynatrace: dynatraceProvider,
  cloudwatch: cloudWatchProvider,
  stackdriver: stackdriverProvider,
};

/** The provider a template's spec.provider.type names, or why there is none. */
export function metricProviderFor(type: string): MetricProvider | string {
  if (Object.hasOwn(PROVIDERS, type)) return PROVIDERS[type as MetricProviderType];
  return `spec.provider.type ${JSON.stringify(type)} is not a metric provider of this build (known: ${METRIC_PROVIDER_TYPES.join(', ')})`;
}
