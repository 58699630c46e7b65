// The load tester over real HTTP: gates, load generation against a local target, and commands. The
// token and --allow-target themselves are tested against the real process in test/unit/loadtester/.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { splitArguments } from '../../../src/loadtester/commands.ts';
import { parseTargetPattern } from '../../../src/loadtester/load-targets.ts';
import type { TokenSource } from '../../../src/loadtester/require-token.ts';
import { createLoadTesterApp, loadSpecFrom } from '../../../src/loadtester/server.ts';
import { createLogger } from '../../../src/log.ts';
import { closeServer, listen } from '../../../src/server/http-server.ts';
import { loadTarget } from '../../helpers/load-target.ts';

const quiet = createLogger('silent');
const TOKEN = 'load-tester-token';

/** A load tester that requires TOKEN, and a function that POSTs to it with TOKEN. */
async function loadTester(
  t: TestContext,
  options: { allowedCommands?: string[]; allowedTargets?: string[]; token?: TokenSource } = {},
): Promise<(path: string, body?: unknown) => Promise<{ status: number; text: string }>> {
  const app = createLoadTesterApp({
    token: options.token ?? (async () => TOKEN),
    loadTargets: (options.allowedTargets ?? []).map(parseTargetPattern),
    allowedCommands: options.allowedCommands ?? [],
    log: quiet,
  });
  const server = await listen(app, 0, '127.0.0.1');
  t.after(() => closeServer(server));
  const port = (server.address() as AddressInfo).port;
  return async (path, body = {}) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
}

const canary = { name: 'podinfo', namespace: 'shop' };

test('gates are closed until opened, per Canary; approve and halt are fixed answers', async (t) => {
  const post = await loadTester(t);
  assert.equal((await post('/gate/check', canary)).status, 403);
  assert.equal((await post('/gate/open', canary)).status, 200);
  assert.equal((await post('/gate/check', canary)).status, 200);
  assert.equal((await post('/gate/check', { ...canary, name: 'other' })).status, 403, 'gates are per Canary');
  await post('/gate/close', canary);
  assert.equal((await post('/gate/check', canary)).status, 403);
  assert.equal((await post('/gate/approve', canary)).status, 200);
  assert.equal((await post('/gate/halt', canary)).status, 403);
  assert.equal((await post('/rollback/check', canary)).status, 403, 'no rollback unless asked');
  await post('/rollback/open', canary);
  assert.equal((await post('/rollback/check', canary)).status, 200);
});

test('load generation sends the requested traffic and reports successes and latency', async (t) => {
  const app = await loadTarget(t, 5);
  const post = await loadTester(t, { allowedTargets: [app.origin] });
  const reply = await post('/', { ...canary, metadata: { type: 'load', url: app.url, rate: '40', concurrency: '4', duration: '1s' } });
  assert.equal(reply.status, 200);
  const report = JSON.parse(reply.text) as {
    requests: number;
    successes: number;
    failures: number;
    statusCodes: Record<string, number>;
    latencyMs: { p50: number; p99: number };
  };
  assert.equal(report.requests, 40);
  assert.equal(app.hits(), 40);
  assert.equal(report.failures, 8, 'every fifth request failed with 503');
  assert.equal(report.successes, 32);
  assert.equal(report.statusCodes['503'], 8);
  assert.ok(report.latencyMs.p99 >= report.latencyMs.p50);
});

test('load against an unreachable target fails the hook; a URL that is not http(s) is a bad request', async (t) => {
  const post = await loadTester(t, { allowedTargets: ['http://127.0.0.1:9'] });
  const reply = await post('/', { ...canary, metadata: { url: 'http://127.0.0.1:9/', rate: '5', duration: '1s' } });
  assert.equal(reply.status, 502);
  assert.equal((await post('/', { metadata: { url: 'file:///etc/passwd' } })).status, 400);
});

test('load to an origin no --allow-target matches is refused before a single request, also without waiting', async (t) => {
  const app = await loadTarget(t);
  const post = await loadTester(t, { allowedTargets: ['http://127.0.0.1:9'] });
  for (const wait of ['true', 'false']) {
    const reply = await post('/', { ...canary, metadata: { type: 'load', url: app.url, rate: '20', duration: '1s', wait } });
    assert.equal(reply.status, 403);
    assert.equal(
      JSON.parse(reply.text).error,
      `load to ${app.origin} is not allowed: the load tester sends load only to origins given with --allow-target`,
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(app.hits(), 0);
});

test('load follows no redirect: a target that redirects elsewhere sends none of the load there', async (t) => {
  const elsewhere = await loadTarget(t);
  const redirecting: Server = createServer((_request, response) => response.writeHead(302, { Location: elsewhere.url }).end());
  await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    redirecting.closeAllConnections();
    redirecting.close();
  });
  const origin = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
  const post = await loadTester(t, { allowedTargets: [origin] });
  const reply = await post('/', { ...canary, metadata: { type: 'load', url: `${origin}/`, rate: '20', duration: '500ms' } });
  assert.equal(reply.status, 200);
  assert.equal(JSON.parse(reply.text).statusCodes['302'], 10);
  assert.equal(elsewhere.hits(), 0);
});

test('while its token cannot be read the load tester refuses every request (503) and changes nothing', async (t) => {
  let readable = false;
  const post = await loadTester(t, {
    token: async () => {
      if (!readable) throw new Error('ENOENT: no such file or directory');
      return TOKEN;
    },
  });
  assert.equal((await post('/gate/open', canary)).status, 503);
  readable = true;
  assert.equal((await post('/gate/check', canary)).status, 403, 'the refused request opened no gate');
});

test('commands are off by default, and otherwise limited to the allowlist, without a shell', async (t) => {
  const closed = await loadTester(t);
  assert.equal((await closed('/', { metadata: { type: 'cmd', cmd: 'echo hi' } })).status, 403);
  const post = await loadTester(t, { allowedCommands: ['echo [a-z ]+'] });
  const allowed = await post('/', { metadata: { type: 'cmd', cmd: 'echo hello world' } });
  assert.equal(allowed.status, 200);
  assert.match(JSON.parse(allowed.text).output, /hello world/);
  assert.equal((await post('/', { metadata: { type: 'cmd', cmd: 'echo hi; touch /tmp/wren-pwned' } })).status, 403);
  assert.equal((await post('/', { metadata: { type: 'cmd', cmd: 'rm -rf /' } })).status, 403);
});

test('command lines split on spaces and honour quotes; shell syntax stays literal', () => {
  assert.deepEqual(splitArguments(`hey -z 1m -H 'X-Canary: insider' "http://app/a b"`), [
    'hey',
    '-z',
    '1m',
    '-H',
    'X-Canary: insider',
    'http://app/a b',
  ]);
  assert.deepEqual(splitArguments('echo $(id) && ls'), ['echo', '$(id)', '&&', 'ls']);
  assert.throws(() => splitArguments(`echo 'open`), /unterminated/);
});

test('load can ask a router for a virtual host (metadata.host), and a host that is not a name is refused', () => {
  const spec = loadSpecFrom({ url: 'http://127.0.0.1:8000/', host: 'podinfo.shop.test' });
  assert.deepEqual(spec.headers, { host: 'podinfo.shop.test' });
  assert.equal(loadSpecFrom({ url: 'http://127.0.0.1:8000/' }).headers, undefined);
  assert.throws(() => loadSpecFrom({ url: 'http://127.0.0.1:8000/', host: 'evil\r\nX-Injected: 1' }), /metadata\.host must be a host name/);
});
