// Graphite's render API (graphite-web, carbonapi): GET /render?target=…&from=-{interval}&format=json.
// A target must come down to one series; its last non-null datapoint is the value. No series, or
// only nulls in the window, is "no data".
import { parseDuration } from '../../api/duration.ts';
import type { MetricProvider } from './metric-provider.ts';
import { answerOf, type ProviderEndpoint } from './provider-request.ts';
import { ProviderUnreachableError } from './unreachable.ts';

export interface GraphiteSeries {
  target?: string;
  datapoints?: [number | null, number][];
}

/** Graphite's relative time for a Wren duration: whole seconds, since its own units ("m" is not minutes) differ. */
export function graphiteFrom(interval: string): string {
  const ms = parseDuration(interval);
  if (!ms || ms < 1000) throw new Error(`interval ${JSON.stringify(interval)} is not a duration of at least 1s`);
  return `-${Math.round(ms / 1000)}s`;
}

/** The render URL for one target over the last `interval`; parameters already on the address stay. */
export function graphiteRenderUrl(address: string, target: string, interval: string): string {
  const url = new URL(address);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/render`;
  url.searchParams.set('target', target);
  url.searchParams.set('from', graphiteFrom(interval));
  url.searchParams.set('format', 'json');
  return url.toString();
}

/** The last non-null datapoint of the one series, or undefined when there is none. */
export function valueFromGraphiteResponse(body: unknown): number | undefined {
  if (!Array.isArray(body)) throw new Error('the render API answered something other than a list of series');
  const series = body as GraphiteSeries[];
  if (series.length === 0) return undefined;
  if (series.length > 1) {
    const names = series.slice(0, 3).map((one) => one.target ?? '?');
    throw new Error(`target returned ${series.length} series (${names.join(', ')}…); aggregate it to one (e.g. with sumSeries)`);
  }
  const points = series[0]?.datapoints ?? [];
  for (let index = points.length - 1; index >= 0; index--) {
    const value = points[index]?.[0];
    if (value !== null && value !== undefined) return value;
  }
  return undefined;
}

export async function queryGraphite(endpoint: ProviderEndpoint, target: string, interval: string): Promise<number | undefined> {
  const url = graphiteRenderUrl(endpoint.address, target, interval);
  const response = await answerOf(endpoint, url);
  const text = await response.text();
  if (response.status === 401 || response.status === 403) {
    throw new Error(`${endpoint.address} refused the query (HTTP ${response.status}): check the credentials of the template`);
  }
  // Graphite refuses a target (unknown function, bad time) with a 4xx and its reason as plain text.
  if (response.status >= 400) throw new Error(`query failed (HTTP ${response.status}): ${text.trim().slice(0, 300)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProviderUnreachableError(
      endpoint.address,
      `${endpoint.address} answered HTTP ${response.status} without a Graphite response`,
    );
  }
  return valueFromGraphiteResponse(body);
}

/** Throws ProviderUnreachableError unless the render API answers constantLine(1) with 1. */
export async function checkGraphite(endpoint: ProviderEndpoint): Promise<void> {
  let value: number | undefined;
  try {
    value = await queryGraphite(endpoint, 'constantLine(1)', '1m');
  } catch (error) {
    if (error instanceof ProviderUnreachableError) throw error;
    throw new ProviderUnreachableError(endpoint.address, `${endpoint.address} refused constantLine(1): ${(error as Error).message}`);
  }
  if (value !== 1) {
    throw new ProviderUnreachableError(endpoint.address, `${endpoint.address} answered constantLine(1) with ${value}: is it Graphite?`);
  }
}

export const graphiteProvider: MetricProvider = {
  type: 'graphite',
  templatedAddress: false,
  query: (endpoint, { query, variables }) => queryGraphite(endpoint, query, variables.interval),
  isOnline: checkGraphite,
};
