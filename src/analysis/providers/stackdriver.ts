// Google Cloud Monitoring (Stackdriver): an MQL query over projects/{project}/timeSeries:query,
// authorized by a token for the service-account key in the template's secret. The value is the first
// value of the first point of the first series (the newest point); no series is no data.
import type { MetricProvider } from './metric-provider.ts';
import {
  accessToken,
  MONITORING_READ_SCOPE,
  parseServiceAccountKey,
  tokenRequest,
  type ServiceAccountKey,
} from './google-service-account.ts';
import { callJsonApi, type ApiRequest } from './json-api.ts';
import type { ProviderEndpoint } from './provider-request.ts';
import { withoutTrailingSlash } from './query-window.ts';
import { optionalSecretKey, secretKey } from './secret-keys.ts';

type TypedValue = { doubleValue?: number | string; int64Value?: string | number; boolValue?: boolean };

interface TimeSeriesQueryAnswer {
  timeSeriesData?: { pointData?: { values?: TypedValue[] }[] }[];
}

export function serviceAccountOf(endpoint: ProviderEndpoint): { key: ServiceAccountKey; project: string } {
  const key = parseServiceAccountKey(secretKey(endpoint, 'serviceAccountKey', 'stackdriver'), endpoint.credentials?.secret);
  const project = optionalSecretKey(endpoint, 'project', 'stackdriver') ?? key.project_id;
  if (!project) throw new Error(`secret ${endpoint.credentials?.secret} has no key project, and its serviceAccountKey no project_id`);
  return { key, project };
}

export function timeSeriesQueryRequest(endpoint: ProviderEndpoint, project: string, token: string, query: string): ApiRequest {
  return {
    method: 'POST',
    url: `${withoutTrailingSlash(endpoint.address)}/v3/projects/${encodeURIComponent(project)}/timeSeries:query`,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query }),
  };
}

export function stackdriverValue(answer: TimeSeriesQueryAnswer): number | undefined {
  const value = answer.timeSeriesData?.[0]?.pointData?.[0]?.values?.[0];
  if (value === undefined) return undefined;
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.int64Value !== undefined) return Number(value.int64Value);
  if (value.boolValue !== undefined) return value.boolValue ? 1 : 0;
  throw new Error(`the first point's value is not a number: ${Object.keys(value).join(', ') || 'empty'}`);
}

export function createStackdriverProvider(clock: () => Date = () => new Date()): MetricProvider {
  return {
    type: 'stackdriver',
    templatedAddress: false,
    query: async (endpoint, { query }) => {
      const { key, project } = serviceAccountOf(endpoint);
      const token = accessToken(await callJsonApi(endpoint, tokenRequest(key, MONITORING_READ_SCOPE, clock())));
      return stackdriverValue(
        (await callJsonApi(endpoint, timeSeriesQueryRequest(endpoint, project, token, query))) as TimeSeriesQueryAnswer,
      );
    },
  };
}

export const stackdriverProvider = createStackdriverProvider();
