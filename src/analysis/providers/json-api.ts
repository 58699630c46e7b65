// The one network call of the hosted metric providers: send a request built by a pure function,
// classify the answer, return the parsed JSON. No usable answer (no connection, a timeout, 5xx, 429,
// a 2xx that is not JSON) is unreachable; a refusal (401/403, another 4xx) is a failed query. Secret
// values never reach a message: every header the request carries and every key of the template's
// Secret is masked in the text of an error.
import { describeFailure, providerFetch, type ProviderEndpoint } from './provider-request.ts';
import { isUnavailableStatus, ProviderUnreachableError } from './unreachable.ts';

export interface ApiRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

const MAX_SERVER_WORDS = 300;

/** The server's own explanation in the error shapes these APIs use, cut short. */
export function serverWords(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const candidates: unknown[] = [
    record.error_description,
    typeof record.error === 'object' && record.error !== null ? (record.error as Record<string, unknown>).message : record.error,
    Array.isArray(record.errors) ? record.errors.filter((item) => typeof item === 'string').join('; ') : undefined,
    record.message,
    record.Message,
  ];
  const words = candidates.find((candidate): candidate is string => typeof candidate === 'string' && candidate !== '');
  return words && words.length > MAX_SERVER_WORDS ? `${words.slice(0, MAX_SERVER_WORDS)}…` : words;
}

/** The text with every secret value replaced by "***". */
export function masked(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret.length >= 4) result = result.split(secret).join('***');
  return result;
}

/** scheme://host/path of a URL, without the query: what an error message names. */
function place(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

export async function callJsonApi(endpoint: ProviderEndpoint, request: ApiRequest): Promise<unknown> {
  const secrets = [...Object.values(request.headers), ...Object.values(endpoint.credentials?.keys ?? {})];
  const unreachable = (message: string) => new ProviderUnreachableError(endpoint.address, masked(message, secrets));
  const refused = (message: string) => new Error(masked(message, secrets));
  // The request carries its own authentication; the template's token or username must not add another.
  const { credentials: _credentials, ...bare } = endpoint;
  let response: Response;
  try {
    response = await providerFetch(bare, request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
  } catch (error) {
    throw unreachable(describeFailure(endpoint, error));
  }
  const text = await response.text();
  const where = place(request.url);
  if (isUnavailableStatus(response.status)) throw unreachable(`${where} answered HTTP ${response.status}`);
  if (response.status === 401 || response.status === 403) {
    throw refused(
      `${where} refused the request (HTTP ${response.status}): check the keys in the template's secret (spec.provider.secretRef)`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    if (response.status >= 300) throw refused(`${where} answered HTTP ${response.status}`);
    throw unreachable(`${where} answered HTTP ${response.status} without JSON: is the address right?`);
  }
  if (response.status >= 300) {
    const words = serverWords(body);
    throw refused(`${where} rejected the request (HTTP ${response.status})${words ? `: ${words}` : ''}`);
  }
  return body;
}
