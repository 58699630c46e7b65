// Prometheus instant queries over its HTTP API. A query must come down to one number; an empty
// result is "no data", never zero.
import type { MetricProvider, Series } from './metric-provider.ts';
import { answerOf, type ProviderEndpoint } from './provider-request.ts';
import { ProviderUnreachableError } from './unreachable.ts';

interface PrometheusResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: unknown };
}

/** The number a query returned, or undefined when it returned no series. Throws on query errors. */
export function valueFromResponse(body: PrometheusResponse): number | undefined {
  if (body.status !== 'success' || !body.data) throw new Error(`query failed: ${body.error ?? 'unknown error'}`);
  const { resultType, result } = body.data;
  if (resultType === 'scalar') return Number((result as [number, string])[1]);
  if (resultType === 'vector') {
    const samples = result as { value: [number, string] }[];
    if (samples.length === 0) return undefined;
    if (samples.length > 1) throw new Error(`query returned ${samples.length} series; aggregate it to one (e.g. with sum)`);
    return Number(samples[0]?.value[1]);
  }
  throw new Error(`query returned a ${resultType}; it must return a single number`);
}

/** Every series of an instant vector with its labels (e.g. histogram buckets by le). Throws on query errors. */
export function seriesFromResponse(body: PrometheusResponse): Series[] {
  if (body.status !== 'success' || !body.data) throw new Error(`query failed: ${body.error ?? 'unknown error'}`);
  const { resultType, result } = body.data;
  if (resultType !== 'vector') throw new Error(`query returned a ${resultType}; it must return an instant vector`);
  return (result as { metric?: Record<string, string>; value: [number, string] }[]).map((sample) => ({
    labels: sample.metric ?? {},
    value: Number(sample.value[1]),
  }));
}

export async function queryPrometheus(endpoint: ProviderEndpoint, query: string): Promise<number | undefined> {
  return valueFromResponse(await askPrometheus(endpoint, query));
}

async function askPrometheus(endpoint: ProviderEndpoint, query: string): Promise<PrometheusResponse> {
  const url = `${endpoint.address.replace(/\/$/, '')}/api/v1/query?${new URLSearchParams({ query })}`;
  const response = await answerOf(endpoint, url);
  const text = await response.text();
  let body: PrometheusResponse;
  try {
    body = JSON.parse(text) as PrometheusResponse;
  } catch {
    if (response.status === 401 || response.status === 403) {
      throw new Error(`${endpoint.address} refused the query (HTTP ${response.status}): check the credentials of the template`);
    }
    throw new ProviderUnreachableError(
      endpoint.address,
      `${endpoint.address} answered HTTP ${response.status} without a Prometheus response`,
    );
  }
  return body;
}

/** Throws ProviderUnreachableError unless the server answers queries as Prometheus does (checked when a Canary is initialized). */
export async function checkPrometheus(endpoint: ProviderEndpoint): Promise<void> {
  const value = await queryPrometheus(endpoint, 'vector(1)');
  if (value !== 1)
    throw new ProviderUnreachableError(endpoint.address, `${endpoint.address} answered vector(1) with ${value}: is it Prometheus?`);
}

export const prometheusProvider: MetricProvider = {
  type: 'prometheus',
  templatedAddress: false,
  query: (endpoint, request) => queryPrometheus(endpoint, request.query),
  querySeries: async (endpoint, query) => seriesFromResponse(await askPrometheus(endpoint, query)),
  isOnline: checkPrometheus,
};
