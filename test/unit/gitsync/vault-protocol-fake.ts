// A PROTOCOL FAKE of Vault, not Vault: a loopback HTTP server that speaks just enough of Vault's API
// (KV v2 at secret/, KV v1 at kv/, Kubernetes auth login) for the client's unit tests. Used because no
// Vault-compatible server could be built from the Go module proxy (OpenBao is refused by the proxy;
// hashicorp/vault does not compile once its in-repo replace directives are dropped).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeVaultRequest {
  method: string;
  path: string;
  token: string | undefined;
  namespace: string | undefined;
}

export interface FakeVault {
  address: string;
  requests: FakeVaultRequest[];
  /** KV v2 versions per path under secret/ (version n is index n-1; null means deleted). */
  kv2: Map<string, (Record<string, unknown> | null)[]>;
  kv1: Map<string, Record<string, unknown>>;
  tokens: Set<string>;
  /** Kubernetes auth: the JWT Vault accepts, per role. */
  roles: Map<string, string>;
  leaseSeconds: number;
  logins: number;
  close(): Promise<void>;
}

export async function startFakeVault(): Promise<FakeVault> {
  const fake: Omit<FakeVault, 'address' | 'close'> = {
    requests: [],
    kv2: new Map(),
    kv1: new Map(),
    tokens: new Set(),
    roles: new Map(),
    leaseSeconds: 3600,
    logins: 0,
  };
  const server = createServer((request, response) => {
    void handle(fake, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    address: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

async function handle(fake: Omit<FakeVault, 'address' | 'close'>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const token = header(request, 'x-vault-token');
  fake.requests.push({
    method: request.method ?? '',
    path: url.pathname + url.search,
    token,
    namespace: header(request, 'x-vault-namespace'),
  });
  const reply = (status: number, body: unknown) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  const login = /^\/v1\/auth\/(.+)\/login$/.exec(url.pathname);
  if (login && request.method === 'POST') {
    const { role, jwt } = JSON.parse(await bodyOf(request)) as { role?: string; jwt?: string };
    if (login[1] !== 'kubernetes' && login[1] !== 'k8s-prod')
      return reply(404, { errors: [`no handler for route "auth/${login[1]}/login"`] });
    if (!role || !fake.roles.has(role)) return reply(400, { errors: [`invalid role name "${role}"`] });
    if (fake.roles.get(role) !== jwt) return reply(403, { errors: ['permission denied'] });
    fake.logins += 1;
    const clientToken = `hvs.login-${fake.logins}`;
    fake.tokens.add(clientToken);
    return reply(200, { auth: { client_token: clientToken, lease_duration: fake.leaseSeconds, renewable: true } });
  }

  if (request.method !== 'GET') return reply(405, { errors: ['unsupported operation'] });
  if (!token || !fake.tokens.has(token)) return reply(403, { errors: ['permission denied'] });

  const kv2 = /^\/v1\/secret\/data\/(.+)$/.exec(url.pathname);
  if (kv2?.[1]) {
    const versions = fake.kv2.get(kv2[1]);
    if (!versions) return reply(404, { errors: [] });
    const number = Number(url.searchParams.get('version') ?? versions.length);
    if (!(number >= 1 && number <= versions.length)) return reply(404, { errors: [] });
    const data = versions[number - 1];
    const metadata = { version: number, deletion_time: data === null ? '2024-01-01T00:00:00Z' : '', destroyed: false };
    return reply(data === null ? 404 : 200, { data: { data, metadata } });
  }
  if (url.pathname.startsWith('/v1/secret/'))
    return reply(404, { errors: [], warnings: ['Invalid path for a versioned K/V secrets engine'] });

  const kv1 = /^\/v1\/kv\/(.+)$/.exec(url.pathname);
  if (kv1?.[1]) {
    const data = fake.kv1.get(kv1[1]);
    return data ? reply(200, { data }) : reply(404, { errors: [] });
  }
  return reply(404, { errors: [`no handler for route "${url.pathname.slice(4)}"`] });
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
