import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { callWebhook } from '../../../src/analysis/webhook-call.ts';

async function receiver(
  t: TestContext,
  answers: number[],
): Promise<{ url: string; bodies: unknown[]; authorizations: (string | undefined)[] }> {
  const bodies: unknown[] = [];
  const authorizations: (string | undefined)[] = [];
  const server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      bodies.push(JSON.parse(text));
      response.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, bodies, authorizations };
}

const payload = { name: 'podinfo', namespace: 'shop', phase: 'Progressing', checksum: 'rev-2' };

test('a failing hook is retried with backoff until it answers', async (t) => {
  const hook = await receiver(t, [503, 500, 200]);
  const result = await callWebhook({ name: 'load-test', url: hook.url, retries: 2, metadata: { cmd: 'hey' } }, payload);
  assert.equal(result.ok, true);
  assert.equal(hook.bodies.length, 3);
  assert.deepEqual(hook.bodies[0], { ...payload, metadata: { cmd: 'hey' } });
});

test('a token goes with every attempt as Authorization: Bearer; without one no Authorization header is sent', async (t) => {
  const hook = await receiver(t, [503, 200, 200]);
  assert.equal((await callWebhook({ name: 'gate', url: hook.url, retries: 1 }, payload, { token: 's3cret' })).ok, true);
  assert.equal((await callWebhook({ name: 'gate', url: hook.url }, payload, { metadata: { extra: 'yes' } })).ok, true);
  assert.deepEqual(hook.authorizations, ['Bearer s3cret', 'Bearer s3cret', undefined]);
  assert.deepEqual(hook.bodies[2], { ...payload, metadata: { extra: 'yes' } });
});

test('a hook that echoes the request back does not get the token into the result message', async (t) => {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(403).end(`denied: ${request.headers.authorization}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const result = await callWebhook({ name: 'echo', url }, payload, { token: 's3cret-token' });
  assert.equal(result.message, 'HTTP 403: denied: Bearer [redacted]');
});

test('a deliberate no (4xx) is not retried; retries run out on persistent failure', async (t) => {
  const gate = await receiver(t, [403, 200]);
  const closed = await callWebhook({ name: 'gate', url: gate.url, retries: 3 }, payload);
  assert.equal(closed.ok, false);
  assert.match(closed.message, /HTTP 403/);
  assert.equal(gate.bodies.length, 1);
  const broken = await receiver(t, [500, 500]);
  const failed = await callWebhook({ name: 'broken', url: broken.url, retries: 1 }, payload);
  assert.equal(failed.ok, false);
  assert.equal(broken.bodies.length, 2);
});

test('a hook that does not answer in time fails with a clear message', async (t) => {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const result = await callWebhook(
    { name: 'slow', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, timeout: '200ms' },
    payload,
  );
  assert.equal(result.ok, false);
  assert.match(result.message, /no answer within 0\.2s/);
});
