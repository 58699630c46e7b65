// Unit-test support: the MetricRequest a check makes of a template.
import type { MetricRequest } from '../../../../src/analysis/providers/metric-provider.ts';
import type { MetricTemplate } from '../../../../src/api/metric-template.ts';

export function requestOf(provider: MetricTemplate['spec']['provider'], query: string, interval = '5m'): MetricRequest {
  return {
    query,
    spec: { provider, query },
    variables: { name: 'web', namespace: 'shop', target: 'web', service: 'web', interval, variables: {} },
  };
}

export const NOW = new Date('2024-05-01T12:00:00Z'); // 1714564800
