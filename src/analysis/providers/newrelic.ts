// New Relic: an NRQL query over the Insights query API. The value is the first number in the first
// result (count, average, percentage, a percentile, ...); no result or no number in it is no data.
import type { MetricProvider } from './metric-provider.ts';
import { callJsonApi, type ApiRequest } from './json-api.ts';
import type { ProviderEndpoint } from './provider-request.ts';
import { withoutTrailingSlash } from './query-window.ts';
import { secretKey } from './secret-keys.ts';

interface NewRelicAnswer {
  error?: string;
  results?: unknown[];
}

export function newRelicQueryRequest(endpoint: ProviderEndpoint, nrql: string): ApiRequest {
  const account = secretKey(endpoint, 'newrelic_account_id', 'newrelic');
  return {
    method: 'GET',
    url: `${withoutTrailingSlash(endpoint.address)}/v1/accounts/${encodeURIComponent(account)}/query?${new URLSearchParams({ nrql })}`,
    headers: { 'X-Query-Key': secretKey(endpoint, 'newrelic_query_key', 'newrelic') },
  };
}

/** The first number met walking a value depth-first, in the order its fields come. */
function firstNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const item of Object.values(value)) {
    const found = firstNumber(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function newRelicValue(answer: NewRelicAnswer): number | undefined {
  if (answer.error) throw new Error(`newrelic query failed: ${answer.error}`);
  return firstNumber(answer.results?.[0]);
}

export function createNewRelicProvider(): MetricProvider {
  return {
    type: 'newrelic',
    templatedAddress: false,
    query: async (endpoint, { query }) =>
      newRelicValue((await callJsonApi(endpoint, newRelicQueryRequest(endpoint, query))) as NewRelicAnswer),
  };
}

export const newRelicProvider = createNewRelicProvider();
