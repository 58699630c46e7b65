// The web provider: any HTTP endpoint that answers JSON; a JSONPath picks the number.
import { JSONPath } from 'jsonpath-plus';
import { renderTemplate } from '../query-template.ts';
import type { MetricProvider } from './metric-provider.ts';
import { describeFailure, providerFetch, type ProviderEndpoint } from './provider-request.ts';
import { isUnavailableStatus, ProviderUnreachableError } from './unreachable.ts';

export interface WebRequest {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  jsonPath: string;
}

export function valueAtPath(document: unknown, jsonPath: string): number | undefined {
  const matches = JSONPath({ path: jsonPath, json: document as object, wrap: true }) as unknown[];
  if (matches.length === 0 || matches[0] === null || matches[0] === undefined || matches[0] === '') return undefined;
  const value = Number(matches[0]);
  if (Number.isNaN(value)) throw new Error(`${jsonPath} is ${JSON.stringify(matches[0])}, not a number`);
  return value;
}

export async function queryWeb(endpoint: ProviderEndpoint, request: WebRequest): Promise<number | undefined> {
  let response: Response;
  try {
    response = await providerFetch(endpoint, request.url, { method: request.method, ...(request.body ? { body: request.body } : {}) });
  } catch (error) {
    throw new ProviderUnreachableError(endpoint.address, describeFailure(endpoint, error));
  }
  if (isUnavailableStatus(response.status)) {
    throw new ProviderUnreachableError(endpoint.address, `${request.url} answered HTTP ${response.status}`);
  }
  if (response.status >= 300) throw new Error(`${request.url} answered HTTP ${response.status}`);
  return valueAtPath(await response.json(), request.jsonPath);
}

/** Any JSON endpoint: no probe, since there is no question every such endpoint answers. */
export const webProvider: MetricProvider = {
  type: 'web',
  templatedAddress: true,
  query: (endpoint, { spec, variables }) =>
    queryWeb(endpoint, {
      url: endpoint.address,
      method: spec.web?.method ?? 'GET',
      ...(spec.web?.body ? { body: renderTemplate(spec.web.body, variables) } : {}),
      jsonPath: spec.web?.jsonPath ?? '$',
    }),
};
