// InfluxDB 1.x over its InfluxQL HTTP API (GET /query). A query must come down to one number: the
// first value column of the last row of its one series. A statement without series is "no data".
import type { MetricProvider } from './metric-provider.ts';
import { answerOf, type ProviderEndpoint } from './provider-request.ts';
import { ProviderUnreachableError } from './unreachable.ts';

interface InfluxSeries {
  name?: string;
  columns?: string[];
  values?: unknown[][];
}

export interface InfluxResponse {
  error?: string;
  results?: { statement_id?: number; error?: string; series?: InfluxSeries[] }[];
}

/** The address with `path` appended to its path; its query parameters stay. */
function endpointUrl(address: string, path: string): URL {
  const url = new URL(address);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/${path}`;
  return url;
}

/** The /query URL for one InfluxQL statement; parameters already on the address (db, rp) stay unless the template names the database. */
export function influxQueryUrl(address: string, query: string, database: string | undefined): string {
  const url = endpointUrl(address, 'query');
  if (database) url.searchParams.set('db', database);
  url.searchParams.set('q', query);
  return url.toString();
}

/** The number an InfluxQL answer comes down to, or undefined when it holds no data. Throws on query errors. */
export function valueFromInfluxResponse(body: InfluxResponse): number | undefined {
  if (body.error) throw new Error(`query failed: ${body.error}`);
  const results = body.results ?? [];
  if (results.length !== 1) throw new Error(`query has ${results.length} statements; it must have exactly one`);
  const [result] = results;
  if (result?.error) throw new Error(`query failed: ${result.error}`);
  const series = result?.series ?? [];
  if (series.length === 0) return undefined;
  if (series.length > 1) throw new Error(`query returned ${series.length} series; aggregate it to one (drop its GROUP BY tags)`);
  const { columns = [], values = [] } = series[0] ?? {};
  const column = columns[0] === 'time' ? 1 : 0;
  if (columns.length <= column) throw new Error('query returned no value column');
  const value = values.at(-1)?.[column];
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'number') throw new Error(`column ${columns[column]} is ${JSON.stringify(value)}, not a number`);
  return value;
}

export async function queryInflux(endpoint: ProviderEndpoint, query: string, database: string | undefined): Promise<number | undefined> {
  const response = await answerOf(endpoint, influxQueryUrl(endpoint.address, query, database));
  const text = await response.text();
  let body: InfluxResponse;
  try {
    body = JSON.parse(text) as InfluxResponse;
  } catch {
    throw new ProviderUnreachableError(
      endpoint.address,
      `${endpoint.address} answered HTTP ${response.status} without an InfluxDB response`,
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new Error(
      `${endpoint.address} refused the query (HTTP ${response.status}: ${body.error ?? 'no reason given'}): check the credentials of the template`,
    );
  }
  return valueFromInfluxResponse(body);
}

/** Throws ProviderUnreachableError unless GET /ping answers as InfluxDB 1.x does (204 with its version header). */
export async function checkInflux(endpoint: ProviderEndpoint): Promise<void> {
  const ping = endpointUrl(endpoint.address, 'ping');
  ping.search = '';
  const response = await answerOf(endpoint, ping.toString());
  await response.body?.cancel();
  if (response.status !== 204 || !response.headers.get('x-influxdb-version')) {
    throw new ProviderUnreachableError(endpoint.address, `${ping.toString()} answered HTTP ${response.status}: is it InfluxDB?`);
  }
}

export const influxdbProvider: MetricProvider = {
  type: 'influxdb',
  templatedAddress: false,
  query: (endpoint, { query, spec }) => queryInflux(endpoint, query, spec.influxdb?.database),
  isOnline: checkInflux,
};
