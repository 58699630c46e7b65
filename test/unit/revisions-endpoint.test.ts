// GET /api/v1/revisions/SHA on a real express app and port, fed a fake cache of fixed GitSyncs and
// Canaries: the status codes CI scripts branch on and the verdict they read.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import express from 'express';
import type { Canary } from '../../src/api/canary.ts';
import type { GitSync } from '../../src/api/git-sync.ts';
import { closeServer, listen } from '../../src/server/http-server.ts';
import type { RevisionVerdict } from '../../src/release/revision-verdict.ts';
import { createRevisionsRouter } from '../../src/server/revisions-endpoint.ts';

/** A verdict or a refusal, as the endpoint answers either. */
type Body = RevisionVerdict & { error?: string; matches?: string[] };

const GOOD = 'a1b2c3d' + '4'.repeat(33);
const BAD = 'badbad0' + '5'.repeat(33);
const TWIN = 'a1b2c3d' + '9'.repeat(33);
const TIME = '2026-12-01T10:00:00Z';

const fakeGitSync = {
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'GitSync',
  metadata: { name: 'apps', namespace: 'demo' },
  spec: { url: 'https://git.example/apps.git' },
  status: {
    lastAppliedRevision: BAD,
    history: [
      { revision: BAD, result: 'Succeeded', time: TIME },
      { revision: GOOD, result: 'Succeeded', time: TIME },
    ],
    releases: [
      { canary: 'web', namespace: 'demo', revision: BAD, phase: 'Failed', reason: 'FailedChecks', message: 'smoke failed', time: TIME },
      { canary: 'web', namespace: 'demo', revision: GOOD, phase: 'Succeeded', time: TIME },
    ],
  },
} as GitSync;

const fakeCanary = {
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'Canary',
  metadata: { name: 'web', namespace: 'demo' },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    service: { port: 80 },
    analysis: { interval: '1s', threshold: 1, iterations: 2, webhooks: [{ name: 'smoke', url: 'http://tests/' }] },
  },
  status: {
    phase: 'Failed',
    reason: 'FailedChecks',
    release: { gitSync: 'demo/apps', revision: BAD },
    checks: [{ name: 'smoke', kind: 'webhook', passed: false, reason: 'Rejected', message: 'HTTP 500', time: TIME }],
  },
} as Canary;

interface FakeCache {
  gitSyncs: GitSync[];
  canaries: Canary[];
  synced: boolean;
}

async function endpoint(
  t: TestContext,
  cache: Partial<FakeCache> = {},
): Promise<(path: string) => Promise<{ status: number; body: Body }>> {
  const fake: FakeCache = { gitSyncs: [fakeGitSync], canaries: [fakeCanary], synced: true, ...cache };
  const app = express();
  app.use(
    '/api/v1/revisions',
    createRevisionsRouter({
      gitSyncs: () => fake.gitSyncs,
      canaries: () => fake.canaries,
      notReadyReason: () => (fake.synced ? undefined : 'caches not synced: canaries'),
    }),
  );
  const server = await listen(app, 0, '127.0.0.1');
  t.after(() => closeServer(server));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (path) => {
    const response = await fetch(`${base}${path}`);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/, `${path} answers JSON`);
    return { status: response.status, body: (await response.json()) as Body };
  };
}

test('a commit whose canary succeeded: 200, succeeded, with the GitSync and the canary', async (t) => {
  const get = await endpoint(t);
  const { status, body } = await get(`/api/v1/revisions/${GOOD.slice(0, 7)}`);
  assert.equal(status, 200);
  assert.equal(body.revision, GOOD);
  assert.equal(body.state, 'succeeded');
  assert.deepEqual(
    body.gitSyncs.map((sync) => [sync.gitSync, sync.applied]),
    [['demo/apps', true]],
  );
  assert.deepEqual(body.canaries, [{ canary: 'demo/web', revision: GOOD, phase: 'Succeeded', state: 'succeeded', failedChecks: [] }]);
});

test('a commit whose canary failed: 200, failed, with the reason, message and failed checks', async (t) => {
  const get = await endpoint(t);
  for (const path of [`/api/v1/revisions/${BAD}`, `/api/v1/revisions/${BAD}?gitsync=demo/apps`]) {
    const { status, body } = await get(path);
    assert.equal(status, 200, path);
    assert.equal(body.state, 'failed', path);
    assert.equal(body.reason, 'CanaryFailed', path);
    assert.deepEqual(
      body.canaries,
      [
        {
          canary: 'demo/web',
          revision: BAD,
          phase: 'Failed',
          state: 'failed',
          reason: 'FailedChecks',
          message: 'smoke failed',
          failedChecks: [{ name: 'smoke', kind: 'webhook (rollout)', reason: 'Rejected', message: 'HTTP 500' }],
        },
      ],
      path,
    );
  }
  const { body } = await get(`/api/v1/revisions/${BAD.slice(0, 10)}?canary=demo/web`);
  assert.equal(body.state, 'failed', 'the Canary alone says the same');
  assert.equal(body.canaries[0]?.phase, 'Failed');
});

test('a commit no GitSync or Canary knows: 404 with JSON; a named GitSync that has not seen it yet: pending', async (t) => {
  const get = await endpoint(t);
  const unknown = await get('/api/v1/revisions/0123456789');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error, 'UnknownRevision');
  assert.match(unknown.body.message, /no GitSync or Canary knows revision 0123456789/);
  const named = await get('/api/v1/revisions/0123456789?gitsync=demo/apps');
  assert.equal(named.status, 200);
  assert.equal(named.body.state, 'pending');
  assert.equal(named.body.reason, 'NotApplied');
  const canary = await get('/api/v1/revisions/0123456789?canary=demo/web');
  assert.equal(canary.body.state, 'pending');
  assert.equal(canary.body.reason, 'NotStarted');
});

test('a GitSync or Canary the query names that does not exist: 404 saying which', async (t) => {
  const get = await endpoint(t);
  const sync = await get(`/api/v1/revisions/${GOOD}?gitsync=demo/missing`);
  assert.equal(sync.status, 404);
  assert.deepEqual(sync.body, { revision: GOOD, error: 'GitSyncNotFound', message: 'gitsync demo/missing not found' });
  const canary = await get(`/api/v1/revisions/${GOOD}?canary=other/web`);
  assert.equal(canary.status, 404);
  assert.equal(canary.body.error, 'CanaryNotFound');
});

test('malformed requests: 400 naming what is wrong', async (t) => {
  const get = await endpoint(t);
  const cases: [string, string, RegExp][] = [
    ['/api/v1/revisions/a1b2c3', 'InvalidRevision', /"a1b2c3": give a commit SHA, 7 to 40 hex digits/],
    ['/api/v1/revisions/main', 'InvalidRevision', /"main"/],
    [`/api/v1/revisions/${GOOD}0`, 'InvalidRevision', /7 to 40 hex digits/],
    ['/api/v1/revisions/a1b2c3d?gitsync=apps', 'InvalidQuery', /\?gitsync="apps": give namespace\/name/],
    ['/api/v1/revisions/a1b2c3d?gitsync=demo/apps&gitsync=demo/other', 'InvalidQuery', /give namespace\/name/],
    ['/api/v1/revisions/a1b2c3d?gitsync=demo/apps&canary=demo/web', 'InvalidQuery', /at most one/],
  ];
  for (const [path, error, message] of cases) {
    const { status, body } = await get(path);
    assert.equal(status, 400, path);
    assert.equal(body.error, error, path);
    assert.match(body.message, message, path);
  }
});

test('an abbreviation of two recorded commits: 400 listing both', async (t) => {
  const twin = {
    ...fakeCanary,
    metadata: { name: 'api', namespace: 'demo' },
    status: { phase: 'Progressing', release: { revision: TWIN } },
  } as Canary;
  const get = await endpoint(t, { canaries: [fakeCanary, twin] });
  const { status, body } = await get('/api/v1/revisions/a1b2c3d');
  assert.equal(status, 400);
  assert.equal(body.error, 'AmbiguousRevision');
  assert.deepEqual([...(body.matches ?? [])].sort(), [GOOD, TWIN].sort());
  assert.equal((await get(`/api/v1/revisions/${GOOD.slice(0, 12)}`)).status, 200, 'more digits tell them apart');
});

test('before the caches are filled: 503, not a verdict from half the objects', async (t) => {
  const get = await endpoint(t, { synced: false });
  const { status, body } = await get(`/api/v1/revisions/${GOOD}`);
  assert.equal(status, 503);
  assert.equal(body.error, 'NotReady');
  assert.match(body.message, /caches not synced: canaries/);
});
