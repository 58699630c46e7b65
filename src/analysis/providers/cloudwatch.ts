// Amazon CloudWatch: GetMetricData (AWS JSON 1.0 protocol, signed with SigV4) over the metric's
// interval ending now. spec.query is the MetricDataQueries JSON array; the value is the first value
// of the first result that has values, and none is no data.
import type { MetricTemplate } from '../../api/metric-template.ts';
import type { MetricProvider } from './metric-provider.ts';
import { callJsonApi, type ApiRequest } from './json-api.ts';
import type { ProviderEndpoint } from './provider-request.ts';
import { unixSeconds, windowSeconds, withoutTrailingSlash } from './query-window.ts';
import { optionalSecretKey, secretKey } from './secret-keys.ts';
import { amzDate, signV4 } from './sigv4.ts';

interface GetMetricDataAnswer {
  MetricDataResults?: { Id?: string; Values?: number[] }[];
}

export const GET_METRIC_DATA_TARGET = 'GraniteServiceVersion20100801.GetMetricData';
const REGIONAL_HOST = /^monitoring\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** spec.provider.region, else the region in a monitoring.<region>.amazonaws.com address. */
export function cloudWatchRegion(address: string, region: string | undefined): string {
  if (region) return region;
  let host: string;
  try {
    host = new URL(address).hostname;
  } catch {
    host = '';
  }
  const found = REGIONAL_HOST.exec(host)?.[1];
  if (!found) {
    throw new Error(
      `the cloudwatch provider takes its region from spec.provider.address (https://monitoring.<region>.amazonaws.com) or spec.provider.region; ${address} names none`,
    );
  }
  return found;
}

/** The MetricDataQueries of spec.query; throws naming the field when it is not a non-empty JSON array. */
export function metricDataQueries(query: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(query);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new Error('spec.query of a cloudwatch template must be a JSON array of MetricDataQueries');
  }
  return parsed;
}

export function getMetricDataRequest(
  endpoint: ProviderEndpoint,
  spec: MetricTemplate['spec'],
  query: string,
  interval: string,
  now: Date,
): ApiRequest {
  const region = cloudWatchRegion(endpoint.address, spec.provider.region);
  const accessKeyId = secretKey(endpoint, 'aws_access_key_id', 'cloudwatch');
  const secretAccessKey = secretKey(endpoint, 'aws_secret_access_key', 'cloudwatch');
  const sessionToken = optionalSecretKey(endpoint, 'aws_session_token', 'cloudwatch');
  const end = unixSeconds(now);
  const body = JSON.stringify({ MetricDataQueries: metricDataQueries(query), StartTime: end - windowSeconds(interval), EndTime: end });
  const url = new URL(`${withoutTrailingSlash(endpoint.address)}/`);
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-amz-json-1.0',
    'X-Amz-Target': GET_METRIC_DATA_TARGET,
    'X-Amz-Date': amzDate(now),
    ...(sessionToken ? { 'X-Amz-Security-Token': sessionToken } : {}),
  };
  // fetch sends Host from the URL; it is signed but not set by hand.
  const { authorization } = signV4(
    { method: 'POST', url, headers: { host: url.host, ...headers }, body },
    { accessKeyId, secretAccessKey, region, service: 'monitoring' },
  );
  return { method: 'POST', url: url.toString(), headers: { ...headers, Authorization: authorization }, body };
}

export function cloudWatchValue(answer: GetMetricDataAnswer): number | undefined {
  const result = (answer.MetricDataResults ?? []).find((candidate) => (candidate.Values ?? []).length > 0);
  return result?.Values?.[0];
}

export function createCloudWatchProvider(clock: () => Date = () => new Date()): MetricProvider {
  return {
    type: 'cloudwatch',
    templatedAddress: false,
    query: async (endpoint, { query, spec, variables }) =>
      cloudWatchValue(
        (await callJsonApi(endpoint, getMetricDataRequest(endpoint, spec, query, variables.interval, clock()))) as GetMetricDataAnswer,
      ),
  };
}

export const cloudWatchProvider = createCloudWatchProvider();
