// Dynatrace: a metric selector over the Metrics API v2, from the metric's interval ago until now. The
// value is the last non-null value of the first series; no series or only nulls is no data.
import type { MetricProvider } from './metric-provider.ts';
import { callJsonApi, type ApiRequest } from './json-api.ts';
import type { ProviderEndpoint } from './provider-request.ts';
import { windowSeconds, withoutTrailingSlash } from './query-window.ts';
import { secretKey } from './secret-keys.ts';

interface DynatraceAnswer {
  result?: { data?: { values?: (number | null)[] }[] }[];
}

/** Dynatrace's relative timeframe for the interval: whole minutes when it is some, else seconds. */
export function relativeFrom(interval: string): string {
  const seconds = windowSeconds(interval);
  return seconds % 60 === 0 ? `now-${seconds / 60}m` : `now-${seconds}s`;
}

export function dynatraceQueryRequest(endpoint: ProviderEndpoint, metricSelector: string, interval: string): ApiRequest {
  const parameters = new URLSearchParams({ metricSelector, from: relativeFrom(interval) });
  return {
    method: 'GET',
    url: `${withoutTrailingSlash(endpoint.address)}/api/v2/metrics/query?${parameters}`,
    headers: { Authorization: `Api-Token ${secretKey(endpoint, 'dynatrace_token', 'dynatrace')}` },
  };
}

export function dynatraceValue(answer: DynatraceAnswer): number | undefined {
  const values = answer.result?.[0]?.data?.[0]?.values ?? [];
  for (let index = values.length - 1; index >= 0; index--) {
    const value = values[index];
    if (typeof value === 'number') return value;
  }
  return undefined;
}

export function createDynatraceProvider(): MetricProvider {
  return {
    type: 'dynatrace',
    templatedAddress: false,
    query: async (endpoint, { query, variables }) =>
      dynatraceValue((await callJsonApi(endpoint, dynatraceQueryRequest(endpoint, query, variables.interval))) as DynatraceAnswer),
  };
}

export const dynatraceProvider = createDynatraceProvider();
