// Datadog: a metrics query over the v1 query API, for the metric's interval ending now. The value is
// the last point of the first series; no series (or a last point without a value) is no data.
import type { MetricProvider } from './metric-provider.ts';
import { callJsonApi, type ApiRequest } from './json-api.ts';
import type { ProviderEndpoint } from './provider-request.ts';
import { unixSeconds, windowSeconds, withoutTrailingSlash } from './query-window.ts';
import { secretKey } from './secret-keys.ts';
import { ProviderUnreachableError } from './unreachable.ts';

interface DatadogQueryAnswer {
  status?: string;
  error?: string;
  series?: { pointlist?: [number, number | null][] }[];
}

function keyHeaders(endpoint: ProviderEndpoint, withApplicationKey: boolean): Record<string, string> {
  return {
    'DD-API-KEY': secretKey(endpoint, 'datadog_api_key', 'datadog'),
    ...(withApplicationKey ? { 'DD-APPLICATION-KEY': secretKey(endpoint, 'datadog_application_key', 'datadog') } : {}),
  };
}

export function datadogQueryRequest(endpoint: ProviderEndpoint, query: string, interval: string, now: Date): ApiRequest {
  const to = unixSeconds(now);
  const from = to - windowSeconds(interval);
  const parameters = new URLSearchParams({ from: String(from), to: String(to), query });
  return {
    method: 'GET',
    url: `${withoutTrailingSlash(endpoint.address)}/api/v1/query?${parameters}`,
    headers: keyHeaders(endpoint, true),
  };
}

export function datadogValue(answer: DatadogQueryAnswer): number | undefined {
  if (answer.status === 'error' || answer.error) throw new Error(`datadog query failed: ${answer.error ?? 'unknown error'}`);
  const points = answer.series?.[0]?.pointlist ?? [];
  const last = points[points.length - 1];
  return last === undefined || last[1] === null ? undefined : last[1];
}

export function datadogValidateRequest(endpoint: ProviderEndpoint): ApiRequest {
  return { method: 'GET', url: `${withoutTrailingSlash(endpoint.address)}/api/v1/validate`, headers: keyHeaders(endpoint, false) };
}

/** Throws unless the answer is Datadog's word that the API key is valid. */
export function checkValidation(address: string, answer: unknown): void {
  if ((answer as { valid?: unknown } | null)?.valid !== true) {
    throw new ProviderUnreachableError(address, `${address} did not answer /api/v1/validate as Datadog does: is it Datadog?`);
  }
}

export function createDatadogProvider(clock: () => Date = () => new Date()): MetricProvider {
  return {
    type: 'datadog',
    templatedAddress: false,
    query: async (endpoint, { query, variables }) =>
      datadogValue((await callJsonApi(endpoint, datadogQueryRequest(endpoint, query, variables.interval, clock()))) as DatadogQueryAnswer),
    isOnline: async (endpoint) => checkValidation(endpoint.address, await callJsonApi(endpoint, datadogValidateRequest(endpoint))),
  };
}

export const datadogProvider = createDatadogProvider();
