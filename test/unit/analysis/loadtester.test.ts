// The load tester over real HTTP: gates, load generation against a local target, and commands.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { splitArguments } from '../../../src/loadtester/commands.ts';
import { createLoadTesterApp } from '../../../src/loadtester/server.ts';
import { createLogger } from '../../../src/log.ts';
import { closeServer, listen } from '../../../src/server/http-server.ts';

const quiet = createLogger('silent');

async function loadTester(
  t: TestContext,
  allowedCommands: string[] = [],
): Promise<(path: string, body?: unknown) => Promise<{ status: number; text: string }>> {
  const server = await listen(createLoadTesterApp({ allowedCommands, log: quiet }), 0, '127.0.0.1');
  t.after(() => closeServer(server));
  const port = (server.address() as AddressInfo).port;
  return async (path, body = {}) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
}

async function target(t: TestContext, failEvery = 0): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server: Server = createServer((_request, response) => {
    hits += 1;
    response.writeHead(failEvery && hits % failEvery === 0 ? 503 : 200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, hits: () => hits };
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
  const post = await loadTester(t);
  const app = await target(t, 5);
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

test('load against an unreachable target fails the hook', async (t) => {
  const post = await loadTester(t);
  const reply = await post('/', { ...canary, metadata: { url: 'http://127.0.0.1:9/', rate: '5', duration: '1s' } });
  assert.equal(reply.status, 502);
  assert.equal((await post('/', { metadata: { url: 'file:///etc/passwd' } })).status, 400);
});

test('commands are off by default, and otherwise limited to the allowlist, without a shell', async (t) => {
  const closed = await loadTester(t);
  assert.equal((await closed('/', { metadata: { type: 'cmd', cmd: 'echo hi' } })).status, 403);
  const post = await loadTester(t, ['echo [a-z ]+']);
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
