// The dashboard API on a real express app and port, fed fixed caches and a reviewer with fixed
// answers: which requests reach the cluster (the effects) and what the caller is told otherwise.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import express from 'express';
import pino from 'pino';
import type { Canary } from '../../../src/api/canary.ts';
import type { GitSync } from '../../../src/api/git-sync.ts';
import type { InformerEvent } from '../../../src/kube/informer.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import type { Permission } from '../../../src/kube/token-review.ts';
import { createDashboardApi } from '../../../src/server/dashboard/api-router.ts';
import { feedMessage, type CacheView } from '../../../src/server/dashboard/feed.ts';
import { closeServer, listen } from '../../../src/server/http-server.ts';

const canary = {
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'Canary',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    service: { port: 80 },
    analysis: { interval: '1m', threshold: 1, stepWeight: 50 },
  },
  status: { phase: 'Progressing', canaryWeight: 50, currentStep: 0 },
} as unknown as Canary;

/** The same Canary in a namespace a caller asking about "shop" must not learn of. */
const elsewhere = { ...canary, metadata: { name: 'web', namespace: 'bank' } } as Canary;

const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);
const gitSync = {
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'GitSync',
  metadata: { name: 'apps', namespace: 'shop' },
  spec: { url: 'https://git.example/apps.git' },
  status: {
    lastAppliedRevision: NEW,
    history: [
      { revision: NEW, time: '2026-12-01T10:00:00Z', result: 'Succeeded' },
      { revision: OLD, time: '2026-12-01T09:00:00Z', result: 'Succeeded' },
    ],
  },
} as unknown as GitSync;

function cache<T extends KubeObject>(objects: T[]): CacheView<T> {
  return {
    list: () => objects,
    get: (key) => objects.find((object) => `${object.metadata?.namespace}/${object.metadata?.name}` === key),
    on: () => undefined,
  };
}

/** Tokens: "admin" may do anything, "viewer" may only list, anything else is not a valid token. */
async function serve(t: TestContext, anonymousRead = false, canaries: CacheView<Canary> = cache([canary, elsewhere])) {
  const requested: string[] = [];
  const reviewer = {
    review: async (token: string) =>
      token === 'admin' || token === 'viewer'
        ? { authenticated: true as const, user: token, groups: [] }
        : { authenticated: false as const, error: 'unknown token' },
    allowed: async (identity: { user: string }, permission: Permission) => identity.user === 'admin' || permission.verb === 'list',
  };
  const app = express();
  app.use(
    '/ui/api',
    createDashboardApi({
      caches: { canaries, gitsyncs: cache([gitSync]), imagepolicies: cache([]) },
      reviewer,
      anonymousRead,
      log: pino({ level: 'silent' }),
      effects: {
        events: async () => [],
        requestCanary: async (namespace, name, action) => void requested.push(`${action} ${namespace}/${name}`),
        requestSync: async (namespace, name) => void requested.push(`sync ${namespace}/${name}`),
        rollback: async (namespace, name, revision) => void requested.push(`rollback ${namespace}/${name} ${revision}`),
      },
    }),
  );
  const server = await listen(app, 0, '127.0.0.1');
  t.after(() => closeServer(server));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ui/api`;
  const call = async (method: string, path: string, token?: string) => {
    const response = await fetch(`${base}${path}`, { method, headers: token ? { Authorization: `Bearer ${token}` } : {} });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { call, requested, base };
}

test('dashboard api: an abort by a token allowed to patch reaches the Canary; one by a token that may only list does not', async (t) => {
  const { call, requested } = await serve(t);
  const refused = await call('POST', '/canaries/shop/web/abort', 'viewer');
  assert.equal(refused.status, 403);
  assert.match(String(refused.body.message), /viewer may not patch canaries.wren.dev in namespace shop/);
  assert.deepEqual(requested, []);
  const accepted = await call('POST', '/canaries/shop/web/abort', 'admin');
  assert.equal(accepted.status, 202);
  assert.deepEqual(requested, ['abort shop/web']);
});

test('dashboard api: reads need a valid token unless anonymous read is on', async (t) => {
  const { call } = await serve(t);
  assert.equal((await call('GET', '/canaries/shop/web')).status, 401);
  assert.equal((await call('GET', '/canaries/shop/web', 'stolen')).status, 401);
  const detail = await call('GET', '/canaries/shop/web', 'viewer');
  assert.equal(detail.status, 200);
  assert.equal(detail.body.weight, 50);
  const open = await serve(t, true);
  assert.equal((await open.call('GET', '/canaries/shop/web')).status, 200);
  assert.equal((await open.call('POST', '/canaries/shop/web/promote')).status, 401, 'actions still need a token');
});

test('dashboard api: the overview of one namespace holds its rows and names no other namespace; without one, all', async (t) => {
  const { call } = await serve(t);
  const shop = await call('GET', '/overview?namespace=shop', 'viewer');
  assert.equal(shop.status, 200);
  assert.deepEqual(shop.body.namespaces, ['shop']);
  assert.deepEqual(
    (shop.body.canaries as { rows: { namespace: string }[] }).rows.map((row) => row.namespace),
    ['shop'],
  );
  const all = await call('GET', '/overview', 'viewer');
  assert.deepEqual(all.body.namespaces, ['bank', 'shop']);
  assert.equal((all.body.canaries as { rows: unknown[] }).rows.length, 2);
  assert.equal((await call('GET', '/overview?namespace=Shop!', 'viewer')).status, 400, 'a malformed namespace is refused');
});

test('dashboard api: an unknown action and a missing canary are named in the answer', async (t) => {
  const { call, requested } = await serve(t);
  const unknown = await call('POST', '/canaries/shop/web/delete', 'admin');
  assert.equal(unknown.status, 400);
  assert.match(String(unknown.body.message), /action: give one of promote, abort, retry/);
  const missing = await call('POST', '/canaries/shop/nope/abort', 'admin');
  assert.equal(missing.status, 404);
  assert.deepEqual(requested, []);
});

test('dashboard feed: a cache change becomes the row and, for canaries, a chart point', () => {
  const message = feedMessage('canaries', { type: 'updated', object: canary, old: canary }, 1234);
  assert.equal(message.action, 'upsert');
  assert.deepEqual(message.point, { time: 1234, weight: 50, values: {} });
  assert.equal((message.row as { phase: string }).phase, 'Progressing');
  assert.equal(feedMessage('canaries', { type: 'deleted', object: canary }, 0).action, 'delete');
});

test('dashboard api: rollback holds a GitSync at a revision of its history, by the rule of the CLI, only for a token allowed to patch', async (t) => {
  const { call, requested } = await serve(t);
  assert.equal((await call('POST', '/gitsyncs/shop/apps/rollback', 'viewer')).status, 403);
  const unknown = await call('POST', '/gitsyncs/shop/apps/rollback?revision=cccc', 'admin');
  assert.equal(unknown.status, 409);
  assert.match(String(unknown.body.message), /not in the history/);
  assert.equal((await call('POST', '/gitsyncs/shop/apps/rollback?revision=aaaa', 'admin')).status, 202);
  assert.equal(
    (await call('POST', '/gitsyncs/shop/apps/rollback', 'admin')).status,
    202,
    'none given: the newest successful before the applied',
  );
  assert.deepEqual(requested, [`rollback shop/apps ${OLD}`, `rollback shop/apps ${OLD}`]);
});

/** The first `count` Server-Sent Events of a stream, parsed; the connection is closed after. */
async function firstEvents(url: string, token: string, count: number, afterFirst: () => void = () => undefined) {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: { event: string; data: Record<string, unknown> }[] = [];
  let buffer = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const lines = buffer.slice(0, end).split('\n');
      buffer = buffer.slice(end + 2);
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6));
      if (data.length > 0) events.push({ event, data: JSON.parse(data.join('\n')) as Record<string, unknown> });
      if (events.length === 1) afterFirst();
    }
  }
  controller.abort();
  return events;
}

test('dashboard api: the stream opens with the overview as it is then, so a change made before it subscribed is not lost, and goes on with changes', async (t) => {
  const objects: Canary[] = [canary];
  const handlers: ((event: InformerEvent<Canary>) => void)[] = [];
  const live: CacheView<Canary> = { ...cache(objects), on: (handler) => void handlers.push(handler) };
  const { call, base } = await serve(t, false, live);
  const phases = (overview: unknown) => (overview as { canaries: { rows: { phase: string }[] } }).canaries.rows.map((row) => row.phase);
  assert.deepEqual(phases((await call('GET', '/overview?namespace=shop', 'viewer')).body), ['Progressing']);

  // The canary succeeds while no stream is open: the viewer's earlier overview is now stale.
  const succeeded = { ...canary, status: { ...canary.status, phase: 'Succeeded' } } as Canary;
  objects[0] = succeeded;
  handlers.forEach((handler) => handler({ type: 'updated', object: succeeded, old: canary }));

  const failed = { ...canary, status: { ...canary.status, phase: 'Failed' } } as Canary;
  const [hello, change] = await firstEvents(`${base}/stream?namespace=shop`, 'viewer', 2, () => {
    objects[0] = failed;
    handlers.forEach((handler) => handler({ type: 'updated', object: failed, old: succeeded }));
  });
  assert.equal(hello?.event, 'hello');
  assert.deepEqual(phases(hello?.data.overview), ['Succeeded'], 'the stream starts from the cache as it is now');
  assert.equal(change?.event, 'change');
  assert.equal((change?.data.row as { phase: string }).phase, 'Failed', 'and then sends what changes after');
});
