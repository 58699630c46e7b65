// Requests to one registry's API with the distribution auth dance: send, and on 401 answer the
// WWW-Authenticate challenge (a Bearer token from the token server, or Basic credentials) and send
// again. The last challenge per registry is remembered, so later requests carry auth from the start.
// Passwords and tokens never reach an error message: messages name the registry, the subject, the
// status and at most the username.
import { parseAuthChallenges, preferredChallenge, type AuthChallenge } from './auth-challenge.ts';
import { registryApiHost, type ImageRepository } from './image-repository.ts';
import type { RegistryCredentials } from './registry-credentials.ts';
import { describeErrorBody, RegistryError, withoutSecrets } from './registry-error.ts';
import { TokenCache } from './token-cache.ts';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface RegistryTransportOptions {
  /** Plain http instead of https. */
  insecure?: boolean;
  credentials?: RegistryCredentials;
  /** Per request, including reading the body. */
  timeoutMs?: number;
  /** What to ask a token server for: ['pull'] to read, ['pull', 'push'] to write. */
  actions?: string[];
}

export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path on the registry ("/v2/...") or an absolute URL on it (an upload location). */
  url: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** What is asked for, in words for error messages: "the tags of team/app". */
  subject: string;
}

export interface RegistryResponse {
  status: number;
  headers: Headers;
  /** After redirects. */
  url: string;
  body: Buffer;
}

export class RegistryTransport {
  private readonly scheme: 'http' | 'https';
  private readonly credentials: RegistryCredentials | undefined;
  private readonly timeoutMs: number;
  private readonly actions: string[];
  private readonly tokens = new TokenCache();
  private readonly challenges = new Map<string, AuthChallenge>();

  constructor(options: RegistryTransportOptions = {}) {
    this.scheme = options.insecure ? 'http' : 'https';
    this.credentials = options.credentials;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.actions = options.actions ?? ['pull'];
  }

  /** Sends a request, authenticating as the registry demands; any answer but 2xx is a RegistryError. */
  async send(repo: ImageRepository, request: RegistryRequest): Promise<RegistryResponse> {
    const origin = `${this.scheme}://${registryApiHost(repo)}`;
    const url = new URL(request.url, origin);
    if (url.origin !== origin)
      throw new RegistryError(`registry ${repo.registry} pointed ${request.subject} to another host (${url.origin})`);

    const known = this.challenges.get(origin);
    let authorization = known && (await this.authorization(repo, known, false));
    let response = await this.fetch(repo, url, request, authorization);
    if (response.status === 401) {
      const challenge = preferredChallenge(parseAuthChallenges(response.headers.get('www-authenticate') ?? ''));
      if (!challenge) throw this.statusError(repo, request, response, authorization, ' with no Basic or Bearer challenge to answer');
      this.challenges.set(origin, challenge);
      if (challenge.scheme === 'basic' && !this.credentials)
        throw this.statusError(repo, request, response, authorization, ' and no credentials are configured');
      authorization = await this.authorization(repo, challenge, true);
      response = await this.fetch(repo, url, request, authorization);
      if (response.status === 401 || response.status === 403)
        throw this.statusError(repo, request, response, authorization, ` ${this.whoDescription()}`);
    }
    if (response.status < 200 || response.status > 299) throw this.statusError(repo, request, response, authorization, '');
    return response;
  }

  private async authorization(repo: ImageRepository, challenge: AuthChallenge, refresh: boolean): Promise<string | undefined> {
    if (challenge.scheme === 'basic') return this.credentials ? `Basic ${basic(this.credentials)}` : undefined;
    const key = {
      realm: challenge.params.realm ?? '',
      service: challenge.params.service ?? '',
      scope: `repository:${repo.path}:${this.actions.join(',')}`,
    };
    if (refresh) this.tokens.delete(key);
    const token = this.tokens.get(key) ?? (await this.requestToken(repo, key));
    return `Bearer ${token}`;
  }

  private async requestToken(repo: ImageRepository, key: { realm: string; service: string; scope: string }): Promise<string> {
    let url: URL;
    try {
      url = new URL(key.realm);
    } catch {
      throw new RegistryError(`registry ${repo.registry} named a token server that is not a URL: "${key.realm}"`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new RegistryError(`registry ${repo.registry} named a token server that is not http(s): ${url.origin}`);
    const where = `${url.origin}${url.pathname}`;
    if (key.service) url.searchParams.set('service', key.service);
    url.searchParams.append('scope', key.scope);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.credentials) headers.Authorization = `Basic ${basic(this.credentials)}`;

    const subject = `a token for ${key.scope}`;
    const response = await this.timed(repo, subject, async (signal) => {
      const answer = await fetch(url, { headers, signal });
      return { status: answer.status, text: await answer.text() };
    });
    if (response.status < 200 || response.status > 299) {
      const detail = this.safe(describeErrorBody(response.text));
      throw new RegistryError(
        `token server ${where} of registry ${repo.registry} answered ${response.status} for ${subject} ${this.whoDescription()}${detail ? `: ${detail}` : ''}`,
        response.status,
      );
    }
    let answer: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      answer = JSON.parse(response.text) as typeof answer;
    } catch {
      throw new RegistryError(`token server ${where} of registry ${repo.registry} answered ${subject} with something that is not JSON`);
    }
    const token = typeof answer.token === 'string' && answer.token !== '' ? answer.token : answer.access_token;
    if (typeof token !== 'string' || token === '')
      throw new RegistryError(`token server ${where} of registry ${repo.registry} answered without a token for ${subject}`);
    this.tokens.set(key, token, typeof answer.expires_in === 'number' ? answer.expires_in : undefined);
    return token;
  }

  private fetch(repo: ImageRepository, url: URL, request: RegistryRequest, authorization: string | undefined): Promise<RegistryResponse> {
    const headers = { ...request.headers, ...(authorization ? { Authorization: authorization } : {}) };
    return this.timed(repo, request.subject, async (signal) => {
      // Blob downloads may redirect to storage elsewhere; fetch drops Authorization across origins.
      const response = await fetch(url, { method: request.method, headers, body: request.body, redirect: 'follow', signal });
      const body = request.method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(await response.arrayBuffer());
      return { status: response.status, headers: response.headers, url: response.url || url.toString(), body };
    });
  }

  /** Runs one exchange under the per-request timeout, turning network failures into RegistryErrors. */
  private async timed<T>(repo: ImageRepository, subject: string, exchange: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await exchange(AbortSignal.timeout(this.timeoutMs));
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new RegistryError(`registry ${repo.registry} did not answer within ${this.timeoutMs / 1000}s for ${subject}`);
      }
      throw new RegistryError(`could not reach registry ${repo.registry} for ${subject}: ${this.safe(networkCause(error))}`);
    }
  }

  private statusError(
    repo: ImageRepository,
    request: RegistryRequest,
    response: RegistryResponse,
    authorization: string | undefined,
    context: string,
  ): RegistryError {
    // The token that was sent is redacted too, in case the registry echoes it.
    const detail = this.safe(describeErrorBody(response.body.toString('utf8')), authorization?.replace(/^\S+ /, ''));
    return new RegistryError(
      `registry ${repo.registry} answered ${response.status} for ${request.subject}${context}${detail ? `: ${detail}` : ''}`,
      response.status,
    );
  }

  private whoDescription(): string {
    const username = this.credentials?.username;
    if (!this.credentials) return 'without credentials';
    return username ? `with the credentials of user "${username}"` : 'with the configured credentials';
  }

  private safe(text: string, sentSecret?: string): string {
    const encoded = this.credentials ? basic(this.credentials) : undefined; // what a Basic header carries
    return withoutSecrets(text, [this.credentials?.password, encoded, sentSecret]);
  }
}

function basic(credentials: RegistryCredentials): string {
  return Buffer.from(`${credentials.username ?? ''}:${credentials.password ?? ''}`).toString('base64');
}

function networkCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error.message;
}
