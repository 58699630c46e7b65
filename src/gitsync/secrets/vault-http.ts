// One request to Vault's HTTP API. Failures carry the status and Vault's own `errors` list, never the
// token, the login JWT or a response body that could hold secret data.
export interface VaultConnection {
  /** e.g. https://vault.example:8200 */
  address: string;
  /** Vault Enterprise / OpenBao namespace (X-Vault-Namespace). */
  namespace?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface VaultResponse {
  status: number;
  body: Record<string, unknown> | undefined;
}

/** Vault answered with an unexpected status. */
export class VaultHttpError extends Error {
  readonly status: number;

  constructor(what: string, status: number, errors: string[]) {
    super(`${what} returned ${status}${errors.length > 0 ? `: ${errors.join('; ')}` : ''}`);
    this.name = 'VaultHttpError';
    this.status = status;
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;

export async function vaultRequest(
  connection: VaultConnection,
  method: 'GET' | 'POST',
  apiPath: string,
  options: { token?: string; body?: unknown; query?: Record<string, string> } = {},
): Promise<VaultResponse> {
  const url = new URL(`/v1/${apiPath.replace(/^\/+/, '')}`, connection.address);
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
  const headers: Record<string, string> = {};
  if (options.token) headers['X-Vault-Token'] = options.token;
  if (connection.namespace) headers['X-Vault-Namespace'] = connection.namespace;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const timeoutMs = connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let response: Response;
  try {
    response = await (connection.fetch ?? fetch)(url, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${Math.ceil(timeoutMs / 1000)}s` : causeOf(error);
    throw new Error(`cannot reach Vault at ${url.origin}: ${reason}`);
  }
  const text = await response.text();
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
}

/** Vault's `errors` strings from a failed response, shortened. */
export function vaultErrors(body: Record<string, unknown> | undefined): string[] {
  const errors = body?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((error): error is string => typeof error === 'string')
    .map((error) => error.slice(0, 300))
    .slice(0, 5);
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
