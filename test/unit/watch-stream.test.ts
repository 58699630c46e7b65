// The watch stream's parsing and failure modes, against a local HTTP server playing the API server.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { KubeApiError } from '../../src/kube/api-error.ts';
import type { ClusterAccess } from '../../src/kube/cluster-access.ts';
import { KubeClient } from '../../src/kube/client.ts';
import { CONFIG_MAPS } from '../../src/kube/resource-types.ts';
import { KubeTransport } from '../../src/kube/transport.ts';
import { SilentWatchError, watchStream, type WatchEvent } from '../../src/kube/watch-stream.ts';

async function fakeApiServer(t: TestContext, respond: (response: ServerResponse) => void): Promise<KubeClient> {
  const server = createServer((_request, response) => respond(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const access: ClusterAccess = {
    context: 'fake',
    server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tls: { insecureSkipVerify: true },
    auth: { kind: 'none' },
  };
  const client = new KubeClient(new KubeTransport(access, 'test'));
  t.after(() => client.transport.close());
  return client;
}

const event = (type: string, name: string, resourceVersion: string) =>
  JSON.stringify({ type, object: { metadata: { name, resourceVersion } } });

test('events split across chunks arrive whole and in order; bookmarks included', async (t) => {
  const client = await fakeApiServer(t, (response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    const stream = `${event('ADDED', 'a', '1')}\n${event('MODIFIED', 'a', '2')}\n${event('BOOKMARK', '', '3')}\n`;
    response.write(stream.slice(0, 17));
    setTimeout(() => response.end(stream.slice(17)), 10);
  });
  const seen: string[] = [];
  await watchStream(
    client,
    CONFIG_MAPS,
    'ns',
    { resourceVersion: '0', timeoutSeconds: 5 },
    (e: WatchEvent) => {
      seen.push(`${e.type} ${e.object.metadata?.name} ${e.object.metadata?.resourceVersion}`);
    },
    new AbortController().signal,
  );
  assert.deepEqual(seen, ['ADDED a 1', 'MODIFIED a 2', 'BOOKMARK  3']);
});

test('an expired resourceVersion surfaces as a 410 error, so the informer relists', async (t) => {
  const client = await fakeApiServer(t, (response) => {
    response.writeHead(200);
    response.end(
      `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } })}\n`,
    );
  });
  await assert.rejects(
    watchStream(client, CONFIG_MAPS, undefined, { resourceVersion: '1', timeoutSeconds: 5 }, () => undefined, new AbortController().signal),
    (error: unknown) => error instanceof KubeApiError && error.statusCode === 410,
  );
});

test('a stream that goes silent past the server timeout is abandoned as dead', async (t) => {
  const client = await fakeApiServer(t, (response) => {
    response.writeHead(200);
    response.write(`${event('ADDED', 'a', '1')}\n`);
    // ...and then nothing, never closing: a half-open connection.
  });
  let events = 0;
  await assert.rejects(
    watchStream(
      client,
      CONFIG_MAPS,
      undefined,
      { resourceVersion: '0', timeoutSeconds: 0, silenceGraceMs: 200 },
      () => events++,
      new AbortController().signal,
    ),
    SilentWatchError,
  );
  assert.equal(events, 1);
});

test('an HTTP error at watch start carries the API server status', async (t) => {
  const client = await fakeApiServer(t, (response) => {
    response.writeHead(403, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden', message: 'configmaps is forbidden' }));
  });
  await assert.rejects(
    watchStream(client, CONFIG_MAPS, undefined, { resourceVersion: '0', timeoutSeconds: 5 }, () => undefined, new AbortController().signal),
    (error: unknown) => error instanceof KubeApiError && error.reason === 'Forbidden' && /forbidden/.test(error.message),
  );
});
