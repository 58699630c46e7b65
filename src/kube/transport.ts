// HTTP to the API server. One connection pool for the process (a new one per request would cost a TLS
// handshake each time); credentials are re-read periodically so rotated service-account tokens,
// certificates and exec plugins keep working.
import { Agent, fetch, type Response } from 'undici';
import type { HeadersInit } from 'undici';
import type { ClusterAccess } from './cluster-access.ts';
import { ClusterCredentials, type TlsMaterial } from './credentials.ts';

const CREDENTIAL_REFRESH_MS = 60_000;

export interface TransportRequest {
  method: string;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export class KubeTransport {
  readonly server: string;
  private readonly credentials: ClusterCredentials;
  private readonly userAgent: string;
  private agent: Agent | undefined;
  private agentTls = '';
  private authHeaders: Record<string, string> = {};
  private credentialsReadAt = 0;
  private refreshing: Promise<void> | undefined;

  constructor(access: ClusterAccess, userAgent: string) {
    this.server = access.server;
    this.credentials = new ClusterCredentials(access);
    this.userAgent = userAgent;
  }

  private async connection(): Promise<{ agent: Agent; headers: Record<string, string> }> {
    if (!this.agent || Date.now() - this.credentialsReadAt > CREDENTIAL_REFRESH_MS) {
      // Requests that find the credentials stale together wait for one read (one exec plugin run).
      this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
      await this.refreshing;
    }
    return { agent: this.agent as Agent, headers: this.authHeaders };
  }

  private async refresh(): Promise<void> {
    const { tls, headers } = await this.credentials.read();
    this.authHeaders = headers;
    // New TLS material (a rotated client certificate, an exec plugin's new one) needs new connections;
    // the old pool closes once its requests, watches included, have ended.
    const tlsKey = JSON.stringify(tls);
    if (!this.agent || tlsKey !== this.agentTls) {
      this.agent?.close().catch(() => undefined);
      this.agent = newAgent(tls);
      this.agentTls = tlsKey;
    }
    this.credentialsReadAt = Date.now();
  }

  url(path: string, query: TransportRequest['query'] = {}): string {
    const url = new URL(this.server + path);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  async send(request: TransportRequest): Promise<Response> {
    const { agent, headers } = await this.connection();
    const allHeaders: HeadersInit = {
      Accept: 'application/json',
      'User-Agent': this.userAgent,
      ...headers,
      ...(request.headers ?? {}),
    };
    const response = await fetch(this.url(request.path, request.query), {
      method: request.method,
      headers: allHeaders,
      body: request.body,
      dispatcher: agent,
      signal: request.signal,
    });
    if (response.status === 401) {
      // As client-go does: a refused credential is read again (and an exec plugin asked again) next time.
      this.credentials.invalidate();
      this.credentialsReadAt = 0;
    }
    return response;
  }

  async close(): Promise<void> {
    await this.agent?.close();
    this.agent = undefined;
  }
}

function newAgent(tls: TlsMaterial): Agent {
  return new Agent({
    connect: {
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      rejectUnauthorized: tls.rejectUnauthorized,
      ...(tls.servername ? { servername: tls.servername } : {}),
    },
    keepAliveTimeout: 30_000,
    connections: 64,
  });
}
