// HTTP to the API server. One connection pool for the process (client-node builds a new agent per
// request, which costs a TLS handshake each time); credentials are re-read periodically so rotated
// service-account tokens and exec plugins keep working.
import type { KubeConfig } from '@kubernetes/client-node';
import { Agent, fetch, type Response } from 'undici';
import type { HeadersInit } from 'undici';

const CREDENTIAL_REFRESH_MS = 60_000;

interface TlsMaterial {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
  headers?: Record<string, string>;
}

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
  private readonly kubeConfig: KubeConfig;
  private readonly userAgent: string;
  private agent: Agent | undefined;
  private authHeaders: Record<string, string> = {};
  private credentialsReadAt = 0;

  constructor(kubeConfig: KubeConfig, userAgent: string) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.server = cluster.server.replace(/\/$/, '');
    this.kubeConfig = kubeConfig;
    this.userAgent = userAgent;
  }

  private async credentials(): Promise<{ agent: Agent; headers: Record<string, string> }> {
    if (!this.agent || Date.now() - this.credentialsReadAt > CREDENTIAL_REFRESH_MS) {
      const material: TlsMaterial = {};
      await this.kubeConfig.applyToHTTPSOptions(material as Parameters<KubeConfig['applyToHTTPSOptions']>[0]);
      const user = this.kubeConfig.getCurrentUser();
      const headers: Record<string, string> = { ...(material.headers ?? {}) };
      if (user?.username) {
        headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
      }
      this.authHeaders = headers;
      if (!this.agent) {
        this.agent = new Agent({
          connect: {
            ca: material.ca,
            cert: material.cert,
            key: material.key,
            ...(material.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: material.rejectUnauthorized }),
            ...(material.servername ? { servername: material.servername } : {}),
          },
          keepAliveTimeout: 30_000,
          connections: 64,
        });
      }
      this.credentialsReadAt = Date.now();
    }
    return { agent: this.agent, headers: this.authHeaders };
  }

  url(path: string, query: TransportRequest['query'] = {}): string {
    const url = new URL(this.server + path);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  async send(request: TransportRequest): Promise<Response> {
    const { agent, headers } = await this.credentials();
    const allHeaders: HeadersInit = {
      Accept: 'application/json',
      'User-Agent': this.userAgent,
      ...headers,
      ...(request.headers ?? {}),
    };
    return fetch(this.url(request.path, request.query), {
      method: request.method,
      headers: allHeaders,
      body: request.body,
      dispatcher: agent,
      signal: request.signal,
    });
  }

  async close(): Promise<void> {
    await this.agent?.close();
    this.agent = undefined;
  }
}
