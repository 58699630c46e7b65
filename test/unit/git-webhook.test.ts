// The Git webhook receiver on a real express app and port: who may trigger syncs, and which GitSyncs a
// delivery syncs.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import express from 'express';
import { createLogger } from '../../src/log.ts';
import { closeServer, listen } from '../../src/server/http-server.ts';
import { createGitWebhookRouter } from '../../src/server/git-webhook.ts';

const SECRET = 'correct-horse-battery-staple';
const GIT_SYNCS = [
  { namespace: 'apps', name: 'podinfo', url: 'https://github.com/example/podinfo.git' },
  { namespace: 'apps', name: 'podinfo-ssh', url: 'git@github.com:example/podinfo.git' },
  { namespace: 'infra', name: 'base', url: 'https://gitlab.example.com/platform/base' },
  { namespace: 'apps', name: 'other', url: 'https://github.com/example/other.git' },
];

interface Receiver {
  url: string;
  synced: string[];
  logs: string[];
}

async function receiver(t: TestContext, secret: string | undefined, failing: string[] = []): Promise<Receiver> {
  const synced: string[] = [];
  const logs: string[] = [];
  const app = express();
  app.use(
    '/hooks/git',
    createGitWebhookRouter({
      secret: async () => secret,
      gitSyncs: () => GIT_SYNCS,
      requestSync: async (namespace, name) => {
        if (failing.includes(name)) throw new Error(`gitsyncs "${name}" not found`);
        synced.push(`${namespace}/${name}`);
      },
      log: createLogger('debug', { write: (line: string) => void logs.push(line) }),
    }),
  );
  const server = await listen(app, 0, '127.0.0.1');
  t.after(() => closeServer(server));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/git`, synced, logs };
}

const hmac = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const githubPush = JSON.stringify({
  ref: 'refs/heads/main',
  repository: {
    full_name: 'example/podinfo',
    clone_url: 'https://github.com/example/podinfo.git',
    ssh_url: 'git@github.com:example/podinfo.git',
    html_url: 'https://github.com/example/podinfo',
  },
});

async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: response.status, body: (await response.json()) as { synced?: string[]; error?: string } };
}

test('a GitHub push with a good signature syncs every GitSync of that repository, https or ssh', async (t) => {
  const hook = await receiver(t, SECRET);
  const response = await post(hook.url, githubPush, { 'x-github-event': 'push', 'x-hub-signature-256': hmac(githubPush) });
  assert.equal(response.status, 202);
  assert.deepEqual(response.body, { synced: ['apps/podinfo', 'apps/podinfo-ssh'] });
  assert.deepEqual(hook.synced, ['apps/podinfo', 'apps/podinfo-ssh']);
});

test('a GitSync is matched by the ssh_url alone, and a repository nobody syncs still gets 202', async (t) => {
  const hook = await receiver(t, SECRET);
  const sshOnly = JSON.stringify({ repository: { ssh_url: 'ssh://git@GitHub.com/Example/Other' } });
  const response = await post(hook.url, sshOnly, { 'x-hub-signature-256': hmac(sshOnly) });
  assert.deepEqual(response, { status: 202, body: { synced: ['apps/other'] } });
  const unknown = JSON.stringify({ repository: { clone_url: 'https://github.com/example/unknown.git' } });
  assert.deepEqual(await post(hook.url, unknown, { 'x-hub-signature-256': hmac(unknown) }), { status: 202, body: { synced: [] } });
});

test('a bad or missing signature changes nothing and never shows up in the logs', async (t) => {
  const hook = await receiver(t, SECRET);
  const forged = hmac(githubPush, 'guessed-secret');
  const wrong = await post(hook.url, githubPush, { 'x-hub-signature-256': forged });
  assert.equal(wrong.status, 401);
  const tampered = await post(hook.url, githubPush.replace('main', 'evil'), { 'x-hub-signature-256': hmac(githubPush) });
  assert.equal(tampered.status, 401);
  const missing = await post(hook.url, githubPush, {});
  assert.equal(missing.status, 401);
  assert.match(missing.body.error ?? '', /no credential/);
  assert.deepEqual(hook.synced, []);
  const logged = hook.logs.join('');
  assert.match(logged, /rejected/);
  assert.ok(!logged.includes(SECRET) && !logged.includes(forged.slice(7)) && !logged.includes(hmac(githubPush).slice(7)), logged);
});

test('GitHub ping is answered without syncing', async (t) => {
  const hook = await receiver(t, SECRET);
  const ping = JSON.stringify({ zen: 'Keep it logically awesome.', repository: { clone_url: 'https://github.com/example/podinfo.git' } });
  const response = await post(hook.url, ping, { 'x-github-event': 'ping', 'x-hub-signature-256': hmac(ping) });
  assert.equal(response.status, 200);
  assert.deepEqual(hook.synced, []);
});

test('GitLab deliveries are verified by X-Gitlab-Token', async (t) => {
  const hook = await receiver(t, SECRET);
  const push = JSON.stringify({
    object_kind: 'push',
    project: { web_url: 'https://gitlab.example.com/platform/base', git_ssh_url: 'git@gitlab.example.com:platform/base.git' },
  });
  assert.equal((await post(hook.url, push, { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'nope' })).status, 401);
  const response = await post(hook.url, push, { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': SECRET });
  assert.deepEqual(response, { status: 202, body: { synced: ['infra/base'] } });
});

test('generic deliveries use a bearer token or X-Wren-Signature', async (t) => {
  const hook = await receiver(t, SECRET);
  const body = JSON.stringify({ repository: 'https://gitlab.example.com/platform/base.git' });
  assert.equal((await post(hook.url, body, { authorization: 'Bearer wrong' })).status, 401);
  assert.deepEqual(await post(hook.url, body, { authorization: `Bearer ${SECRET}` }), { status: 202, body: { synced: ['infra/base'] } });
  const byUrl = JSON.stringify({ url: 'git@github.com:example/other.git' });
  assert.equal((await post(hook.url, byUrl, { 'x-wren-signature': hmac(body) })).status, 401);
  assert.deepEqual(await post(hook.url, byUrl, { 'x-wren-signature': hmac(byUrl) }), { status: 202, body: { synced: ['apps/other'] } });
  assert.deepEqual(hook.synced, ['infra/base', 'apps/other']);
});

test('without a configured secret every delivery is refused, and the log says why', async (t) => {
  for (const secret of [undefined, '']) {
    const hook = await receiver(t, secret);
    const response = await post(hook.url, githubPush, { 'x-hub-signature-256': hmac(githubPush, ''), authorization: 'Bearer ' });
    assert.equal(response.status, 401);
    assert.deepEqual(hook.synced, []);
    assert.match(hook.logs.join(''), /no webhook secret is configured/);
  }
});

test('a verified delivery that is not JSON or names no repository is a 400', async (t) => {
  const hook = await receiver(t, SECRET);
  const garbage = 'not json {';
  assert.equal((await post(hook.url, garbage, { 'x-hub-signature-256': hmac(garbage) })).status, 400);
  const noRepository = JSON.stringify({ ref: 'refs/heads/main' });
  const response = await post(hook.url, noRepository, { 'x-hub-signature-256': hmac(noRepository) });
  assert.equal(response.status, 400);
  assert.match(response.body.error ?? '', /names no repository/);
  // Unverified garbage is a 401: nothing about the payload is read before the signature is checked.
  assert.equal((await post(hook.url, garbage, { 'x-hub-signature-256': hmac('other') })).status, 401);
});

test('GitHub form-encoded deliveries work too; a GitSync that cannot be annotated is left out', async (t) => {
  const hook = await receiver(t, SECRET, ['podinfo-ssh']);
  const form = new URLSearchParams({ payload: githubPush }).toString();
  const response = await fetch(hook.url, {
    method: 'POST',
    body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'push', 'x-hub-signature-256': hmac(form) },
  });
  assert.equal(response.status, 202);
  assert.deepEqual(await response.json(), { synced: ['apps/podinfo'] });
  assert.match(hook.logs.join(''), /could not request a sync/);
});

test('payloads over 1 MB are refused', async (t) => {
  const hook = await receiver(t, SECRET);
  const big = JSON.stringify({ repository: 'https://github.com/example/podinfo', padding: 'x'.repeat(1_100_000) });
  const response = await post(hook.url, big, { 'x-hub-signature-256': hmac(big) });
  assert.equal(response.status, 413);
  assert.deepEqual(hook.synced, []);
});
