// The credentials a kubeconfig names reach the API server: a local HTTP server stands in for it and
// records the Authorization header of every request the transport sends.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { stringify } from 'yaml';
import { loadClusterAccess } from '../../../src/kube/kubeconfig.ts';
import { KubeTransport } from '../../../src/kube/transport.ts';

interface ApiServer {
  url: string;
  authorizations: (string | undefined)[];
  /** Authorization values the server answers 401 to. */
  refuse: Set<string>;
}

async function apiServer(t: TestContext): Promise<ApiServer> {
  const state: Omit<ApiServer, 'url'> = { authorizations: [], refuse: new Set() };
  const server = createServer((request, response) => {
    state.authorizations.push(request.headers.authorization);
    response.statusCode = state.refuse.has(request.headers.authorization ?? '') ? 401 : 200;
    response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ...state };
}

function workDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'wren-creds-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function kubeconfig(dir: string, server: string, user: Record<string, unknown>, name = 'config'): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    stringify({
      clusters: [{ name: 'c', cluster: { server } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'ctx',
    }),
  );
  return path;
}

function transport(t: TestContext, path: string): KubeTransport {
  const result = new KubeTransport(loadClusterAccess(path)!, 'test');
  t.after(() => result.close());
  return result;
}

const get = async (client: KubeTransport) => (await client.send({ method: 'GET', path: '/api' })).status;

// A plugin that counts its runs, answers token-<run>, and keeps what it was told.
const PLUGIN = `#!/bin/sh
n=$(( $(cat "$STATE/runs" 2>/dev/null || echo 0) + 1 ))
echo $n > "$STATE/runs"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$STATE/info"
echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"token-'$n'"}}'
`;

test("an exec plugin's token is used until the API server refuses it, then the plugin is asked again", async (t) => {
  const server = await apiServer(t);
  const dir = workDir(t);
  writeFileSync(join(dir, 'get-token'), PLUGIN);
  chmodSync(join(dir, 'get-token'), 0o755);
  const path = kubeconfig(dir, server.url, {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: './get-token',
      env: [{ name: 'STATE', value: dir }],
      provideClusterInfo: true,
    },
  });
  const client = transport(t, path);

  assert.deepEqual(await Promise.all([get(client), get(client), get(client)]), [200, 200, 200]);
  assert.deepEqual(server.authorizations, ['Bearer token-1', 'Bearer token-1', 'Bearer token-1']);
  assert.equal(
    readFileSync(join(dir, 'runs'), 'utf8').trim(),
    '1',
    'one plugin run serves every request, the first ones sent together included',
  );
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'info'), 'utf8')), {
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    spec: { interactive: false, cluster: { server: server.url } },
  });

  server.refuse.add('Bearer token-1');
  assert.equal(await get(client), 401);
  assert.equal(await get(client), 200);
  assert.deepEqual(server.authorizations.slice(3), ['Bearer token-1', 'Bearer token-2']);
});

test('a failing exec plugin fails the request with its install hint and what it said on stderr', async (t) => {
  const server = await apiServer(t);
  const dir = workDir(t);
  writeFileSync(join(dir, 'broken'), '#!/bin/sh\necho "{\\"token\\": \\"sekret\\"}"\necho "no session: run login first" >&2\nexit 3\n');
  chmodSync(join(dir, 'broken'), 0o755);
  const missing = transport(
    t,
    kubeconfig(dir, server.url, {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'wren-no-such-plugin', installHint: 'install it from example.com' },
    }),
  );
  await assert.rejects(get(missing), /exec credential plugin wren-no-such-plugin failed: .*\ninstall it from example\.com/);
  const broken = transport(
    t,
    kubeconfig(dir, server.url, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './broken' } }),
  );
  await assert.rejects(
    get(broken),
    (error: Error) => /broken failed: .*: no session: run login first$/.test(error.message) && !/sekret/.test(error.message),
  );
  assert.deepEqual(server.authorizations, [], 'no request goes out without its credential');
});

test('a token file, basic auth and a legacy oidc auth provider each reach the API server as their Authorization header', async (t) => {
  const server = await apiServer(t);
  const dir = workDir(t);
  writeFileSync(join(dir, 'token'), 'file-token\n');
  const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const idToken = `${base64url({ alg: 'none' })}.${base64url({ exp: Math.floor(Date.now() / 1000) + 3600 })}.signature`;
  const users: Record<string, unknown>[] = [
    { tokenFile: 'token' },
    { username: 'admin', password: 'pw' },
    {
      'auth-provider': {
        name: 'oidc',
        config: { 'id-token': idToken, 'client-id': 'kubernetes', 'idp-issuer-url': 'https://127.0.0.1:1' },
      },
    },
  ];
  for (const [index, user] of users.entries())
    assert.equal(await get(transport(t, kubeconfig(dir, server.url, user, `config-${index}`))), 200);
  assert.deepEqual(server.authorizations, [
    'Bearer file-token',
    `Basic ${Buffer.from('admin:pw').toString('base64')}`,
    `Bearer ${idToken}`,
  ]);
});
