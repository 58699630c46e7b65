// A webhook's token from the Secret its secretRef names: read from the Canary's own namespace through
// the checksum-only watch cache, sent as Authorization: Bearer, and never part of a message.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import type { Canary } from '../../../src/api/canary.ts';
import { CanaryAnalyzer } from '../../../src/analysis/analyzer.ts';
import { CredentialStore } from '../../../src/analysis/credentials.ts';
import type { WebhookSpec } from '../../../src/analysis/webhook-call.ts';
import { SecretWebhookTokens } from '../../../src/analysis/webhook-token.ts';
import { KubeApiError } from '../../../src/kube/api-error.ts';
import type { KubeClient } from '../../../src/kube/client.ts';
import type { Informer } from '../../../src/kube/informer.ts';
import type { ResourceType } from '../../../src/kube/resource-types.ts';
import { dataChecksumOnly, type ConfigObject } from '../../../src/workload/config-copies.ts';

const TOKEN = 'hook-token-value';
const base64 = (text: string) => Buffer.from(text).toString('base64');
const secret = (namespace: string, name: string, data: Record<string, string>): ConfigObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace },
  data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, base64(value)])),
});

/** Secrets on a fake API server, a watch cache of their checksums, and every GET recorded. */
function secrets(...objects: ConfigObject[]) {
  const server = new Map(objects.map((object) => [`${object.metadata?.namespace}/${object.metadata?.name}`, object]));
  const reads: string[] = [];
  const client = {
    get: async (_type: ResourceType, namespace: string, name: string) => {
      reads.push(`${namespace}/${name}`);
      const found = server.get(`${namespace}/${name}`);
      if (!found) throw new KubeApiError('GET', `secrets/${name}`, 404, { reason: 'NotFound' } as never, '');
      return structuredClone(found);
    },
  } as unknown as KubeClient;
  const cache = { get: (key: string) => (server.has(key) ? dataChecksumOnly(server.get(key) as ConfigObject) : undefined) };
  const tokens = new SecretWebhookTokens(new CredentialStore(client, cache as unknown as Informer<ConfigObject>));
  return { tokens, reads, server };
}

const canary = { metadata: { name: 'podinfo', namespace: 'shop' }, spec: { analysis: { webhooks: [] } } } as unknown as Canary;
const hook = (secretName?: string): WebhookSpec => ({
  name: 'start',
  type: 'confirm-rollout',
  url: 'http://loadtester.test/gate/check',
  ...(secretName ? { secretRef: { name: secretName } } : {}),
});

test('the token is key "token" of the Secret in the Canary\'s namespace, read again only when its checksum changed', async () => {
  const { tokens, reads, server } = secrets(
    secret('shop', 'loadtester', { token: `${TOKEN}\n` }),
    secret('other', 'loadtester', { token: 'x' }),
  );
  assert.equal(await tokens.tokenFor(canary, hook('loadtester')), TOKEN);
  assert.equal(await tokens.tokenFor(canary, hook('loadtester')), TOKEN);
  assert.deepEqual(reads, ['shop/loadtester'], "read once, from the Canary's namespace");
  server.set('shop/loadtester', secret('shop', 'loadtester', { token: 'rotated' }));
  assert.equal(await tokens.tokenFor(canary, hook('loadtester')), 'rotated');
  assert.deepEqual(reads, ['shop/loadtester', 'shop/loadtester']);
});

test('a hook without secretRef has no token and reads no Secret', async () => {
  const { tokens, reads } = secrets(secret('shop', 'loadtester', { token: TOKEN }));
  assert.equal(await tokens.tokenFor(canary, hook()), undefined);
  assert.deepEqual(reads, []);
});

test('a Secret that is missing, has no token or one no header can carry fails with a message naming the Secret, not the value', async () => {
  const { tokens } = secrets(secret('shop', 'no-token', { password: TOKEN }), secret('shop', 'bad-token', { token: `${TOKEN}\n${TOKEN}` }));
  const cases: [name: string, message: string][] = [
    ['missing', 'Secret shop/missing (secretRef of webhook "start") does not exist'],
    ['no-token', 'Secret shop/no-token (secretRef of webhook "start") has no key "token"'],
    ['bad-token', 'Secret shop/bad-token (secretRef of webhook "start"): its key "token" holds characters an HTTP header cannot carry'],
  ];
  for (const [name, message] of cases) {
    await assert.rejects(
      tokens.tokenFor(canary, hook(name)),
      (error: Error) => error.message === message && !error.message.includes(TOKEN),
    );
  }
});

async function receiver(t: TestContext): Promise<{ url: string; authorizations: (string | undefined)[] }> {
  const authorizations: (string | undefined)[] = [];
  const server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    request.resume();
    request.on('end', () => response.writeHead(200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gate/check`, authorizations };
}

const step = { phase: 'Progressing', canaryWeight: 0, revision: 'rev-2' };
const withHooks = (...webhooks: WebhookSpec[]) => ({ ...canary, spec: { ...canary.spec, analysis: { webhooks } } }) as unknown as Canary;

test('the analyzer sends a hook its token as Authorization: Bearer, and a hook without secretRef none', async (t) => {
  const hookServer = await receiver(t);
  const { tokens } = secrets(secret('shop', 'loadtester', { token: TOKEN }));
  const analyzer = new CanaryAnalyzer(undefined, undefined, tokens);
  const gated = withHooks({ ...hook('loadtester'), url: hookServer.url }, { ...hook(), name: 'open', url: hookServer.url });
  assert.equal(await analyzer.gateOpen(gated, 'confirm-rollout', step), true);
  assert.deepEqual(hookServer.authorizations.sort(), [`Bearer ${TOKEN}`, undefined]);
});

test('a hook whose Secret does not exist fails its check naming the Secret, and is not called', async (t) => {
  const hookServer = await receiver(t);
  const analyzer = new CanaryAnalyzer(undefined, undefined, secrets().tokens);
  const verdict = await analyzer.analyze(withHooks({ ...hook('loadtester'), type: 'rollout', url: hookServer.url }), step);
  assert.equal(verdict.passed, false);
  assert.deepEqual(verdict.checks, [
    { name: 'start', kind: 'webhook', passed: false, message: 'Secret shop/loadtester (secretRef of webhook "start") does not exist' },
  ]);
  assert.equal(await analyzer.gateOpen(withHooks({ ...hook('loadtester'), url: hookServer.url }), 'confirm-rollout', step), false);
  assert.deepEqual(hookServer.authorizations, [], 'the hook was never called');
});
