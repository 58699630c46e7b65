// What every metric provider request carries: where to, with which credentials, and how long it may take.
import { Agent, fetch, type Response } from 'undici';
import { isUnavailableStatus, ProviderUnreachableError } from './unreachable.ts';

export interface Credentials {
  token?: string;
  username?: string;
  password?: string;
  /** Every key of the Secret, decoded: providers with keys of their own (datadog_api_key, ...) read them here. */
  keys?: Record<string, string>;
  /** namespace/name of the Secret, to name it when a key is missing. */
  secret?: string;
}

export interface ProviderEndpoint {
  address: string;
  headers: Record<string, string[]>;
  credentials?: Credentials;
  insecureSkipVerify: boolean;
  timeoutMs: number;
}

const insecureAgent = new Agent({ connect: { rejectUnauthorized: false } });

export function requestHeaders(endpoint: ProviderEndpoint): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  for (const [name, values] of Object.entries(endpoint.headers)) headers[name] = values.join(', ');
  const { token, username, password } = endpoint.credentials ?? {};
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (username !== undefined) headers.Authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
  return headers;
}

export async function providerFetch(
  endpoint: ProviderEndpoint,
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...requestHeaders(endpoint), ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
    body: init.body,
    signal: AbortSignal.timeout(endpoint.timeoutMs),
    ...(endpoint.insecureSkipVerify ? { dispatcher: insecureAgent } : {}),
  });
}

/** Error messages that never include credentials: only the address, status and the server's words. */
export function describeFailure(endpoint: ProviderEndpoint, error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError')
    return `${endpoint.address} did not answer within ${endpoint.timeoutMs / 1000}s`;
  return `${endpoint.address}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The server's answer to one request, or ProviderUnreachableError when there is none to use: no
 * connection, a timeout, or a status that says the server is unavailable (5xx, 429). Every provider
 * that reads a plain HTTP answer asks through this; what the answer means is the provider's.
 */
export async function answerOf(endpoint: ProviderEndpoint, url: string): Promise<Response> {
  let response: Response;
  try {
    response = await providerFetch(endpoint, url);
  } catch (error) {
    throw new ProviderUnreachableError(endpoint.address, describeFailure(endpoint, error));
  }
  if (isUnavailableStatus(response.status)) {
    await response.body?.cancel();
    throw new ProviderUnreachableError(endpoint.address, `${endpoint.address} answered HTTP ${response.status}`);
  }
  return response;
}
