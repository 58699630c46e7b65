// The Vault placeholder client against a protocol fake of Vault's HTTP API (see vault-protocol-fake.ts
// for why it is not a real Vault).
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { placeholderBackendFor, type PlaceholderBackendDeps } from '../../../src/gitsync/secrets/placeholder-backends.ts';
import { resolvePlaceholders } from '../../../src/gitsync/secrets/resolve-placeholders.ts';
import { kubernetesLogin } from '../../../src/gitsync/secrets/vault-auth.ts';
import { createVaultBackend } from '../../../src/gitsync/secrets/vault-backend.ts';
import { SyncError } from '../../../src/gitsync/sync-error.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';
import { startFakeVault, type FakeVault } from './vault-protocol-fake.ts';

const ROOT_TOKEN = 'hvs.static-token-9d2c';
const SA_JWT = 'eyJhbGciOiJSUzI1NiJ9.service-account.jwt';
const PASSWORD = 'vault-pw-41b7';

let vault: FakeVault;

before(async () => {
  vault = await startFakeVault();
});
after(() => vault.close());
beforeEach(() => {
  vault.requests.length = 0;
  vault.tokens.clear();
  vault.tokens.add(ROOT_TOKEN);
  vault.kv2.clear();
  vault.kv2.set('shop/db', [{ password: 'old-pw' }, { password: PASSWORD, username: 'shop' }]);
  vault.kv1.clear();
  vault.kv1.set('legacy/db', { password: 'v1-pw' });
  vault.roles.clear();
  vault.roles.set('shop', SA_JWT);
  vault.leaseSeconds = 3600;
  vault.logins = 0;
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

function deps(overrides: Partial<PlaceholderBackendDeps> = {}): PlaceholderBackendDeps & { tokenRequests: string[][] } {
  const tokenRequests: string[][] = [];
  return {
    namespace: 'shop',
    readSecret: async (namespace, name) => (namespace === 'shop' && name === 'vault-token' ? { token: b64(`${ROOT_TOKEN}\n`) } : undefined),
    serviceAccountToken: async (namespace, serviceAccount, audience) => {
      tokenRequests.push([namespace, serviceAccount, audience]);
      return SA_JWT;
    },
    tokenRequests,
    ...overrides,
  };
}

const secret = (fields: Record<string, unknown>, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'shop', annotations },
  ...fields,
});

const withToken = {
  backend: 'vault' as const,
  vault: { address: '', auth: { tokenSecretRef: { name: 'vault-token' } }, namespace: 'team-a' },
};

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => assert.fail('it succeeded'),
    (error: Error) => error,
  );
}

test('a token from a Secret reads KV v2 paths, latest or a given version, in the configured Vault namespace', async () => {
  const backend = placeholderBackendFor({ ...withToken, vault: { ...withToken.vault, address: vault.address } }, deps());
  const object = secret(
    { stringData: { latest: '<password>', first: '<path:secret/data/shop/db#password#1>', user: '<username | base64encode>' } },
    { 'avp.kubernetes.io/path': 'secret/data/shop/db' },
  );

  const [filled] = await resolvePlaceholders([{ object, source: 'db.yaml' }], backend);

  assert.deepEqual(filled?.object.stringData, { latest: PASSWORD, first: 'old-pw', user: b64('shop') });
  assert.deepEqual(
    vault.requests.map((request) => [request.path, request.token, request.namespace]),
    [
      ['/v1/secret/data/shop/db', ROOT_TOKEN, 'team-a'],
      ['/v1/secret/data/shop/db?version=1', ROOT_TOKEN, 'team-a'],
    ],
  );
});

test('avp.kubernetes.io/kv-version: "1" reads a KV v1 mount', async () => {
  const backend = placeholderBackendFor({ ...withToken, vault: { ...withToken.vault, address: vault.address } }, deps());
  const object = secret(
    { stringData: { password: '<password>' } },
    { 'avp.kubernetes.io/path': 'kv/legacy/db', 'avp.kubernetes.io/kv-version': '1' },
  );

  const [filled] = await resolvePlaceholders([{ object, source: 'db.yaml' }], backend);

  assert.deepEqual(filled?.object.stringData, { password: 'v1-pw' });
});

test('a missing path or key fails naming the path and key, never a value', async () => {
  const backend = placeholderBackendFor({ ...withToken, vault: { ...withToken.vault, address: vault.address } }, deps());
  const objects = [
    {
      object: secret({ stringData: { a: '<path:secret/data/shop/gone#password>', b: '<path:secret/data/shop/db#nokey>' } }),
      source: 'db.yaml',
    },
  ];

  const error = await failure(resolvePlaceholders(objects, backend));

  assert.ok(error instanceof SyncError);
  assert.equal(error.stage, 'placeholders');
  assert.match(error.message, /stringData\.a: nothing found at path "secret\/data\/shop\/gone"/);
  assert.match(error.message, /stringData\.b: key "nokey" not found at path "secret\/data\/shop\/db"/);
  assert.ok(!error.message.includes(PASSWORD));
});

test('a refused token fails with the status and Vault errors, without the token', async () => {
  vault.tokens.clear();
  const backend = placeholderBackendFor({ ...withToken, vault: { ...withToken.vault, address: vault.address } }, deps());

  const error = await failure(backend.read('secret/data/shop/db'));

  assert.equal(error.message, 'Vault GET secret/data/shop/db returned 403: permission denied');
});

test('Kubernetes auth logs in once with a service account token and reuses the client token', async () => {
  const spec = {
    backend: 'vault' as const,
    vault: { address: vault.address, auth: { kubernetes: { role: 'shop', serviceAccountName: 'shop-reader' } } },
  };
  const dependencies = deps();
  const backend = placeholderBackendFor(spec, dependencies);

  assert.deepEqual(await backend.read('secret/data/shop/db'), { password: PASSWORD, username: 'shop' });
  assert.deepEqual(await backend.read('secret/data/shop/db', '1'), { password: 'old-pw' });

  assert.equal(vault.logins, 1);
  assert.deepEqual(dependencies.tokenRequests, [['shop', 'shop-reader', 'vault']]);
  assert.deepEqual(
    vault.requests.map((request) => [request.method, request.path, request.token]),
    [
      ['POST', '/v1/auth/kubernetes/login', undefined],
      ['GET', '/v1/secret/data/shop/db', 'hvs.login-1'],
      ['GET', '/v1/secret/data/shop/db?version=1', 'hvs.login-1'],
    ],
  );
});

test('the mount path and audience of Kubernetes auth are honoured', async () => {
  const spec = {
    backend: 'vault' as const,
    vault: {
      address: vault.address,
      auth: { kubernetes: { role: 'shop', serviceAccountName: 'sa', mountPath: 'k8s-prod', audience: 'https://vault.example' } },
    },
  };
  const dependencies = deps();

  await placeholderBackendFor(spec, dependencies).read('secret/data/shop/db');

  assert.equal(vault.requests[0]?.path, '/v1/auth/k8s-prod/login');
  assert.deepEqual(dependencies.tokenRequests, [['shop', 'sa', 'https://vault.example']]);
});

test('a login is renewed when its lease is nearly over', async () => {
  vault.leaseSeconds = 100;
  let clock = 1_000_000;
  const connection = { address: vault.address };
  const tokens = kubernetesLogin({ connection, role: 'shop', serviceAccountToken: async () => SA_JWT, now: () => clock });
  const backend = createVaultBackend({ connection, tokens });

  await backend.read('secret/data/shop/db');
  clock += 80_000;
  await backend.read('secret/data/shop/db');
  assert.equal(vault.logins, 1, 'still well inside the lease');
  clock += 15_000;
  await backend.read('secret/data/shop/db');
  assert.equal(vault.logins, 2, 'less than a tenth of the lease left');
});

test('a client token that Vault revoked is replaced by a new login', async () => {
  const connection = { address: vault.address };
  const backend = createVaultBackend({
    connection,
    tokens: kubernetesLogin({ connection, role: 'shop', serviceAccountToken: async () => SA_JWT }),
  });
  await backend.read('secret/data/shop/db');
  vault.tokens.delete('hvs.login-1');

  assert.deepEqual(await backend.read('secret/data/shop/db'), { password: PASSWORD, username: 'shop' });
  assert.equal(vault.logins, 2);
});

test('a failed login reports Vault errors and never the service account token', async () => {
  const connection = { address: vault.address };
  const badRole = createVaultBackend({
    connection,
    tokens: kubernetesLogin({ connection, role: 'nope', serviceAccountToken: async () => SA_JWT }),
  });
  const badJwt = createVaultBackend({
    connection,
    tokens: kubernetesLogin({ connection, role: 'shop', serviceAccountToken: async () => 'other.jwt' }),
  });

  const roleError = await failure(badRole.read('secret/data/shop/db'));
  const jwtError = await failure(badJwt.read('secret/data/shop/db'));

  assert.equal(roleError.message, 'Vault login at auth/kubernetes with role "nope" returned 400: invalid role name "nope"');
  assert.equal(jwtError.message, 'Vault login at auth/kubernetes with role "shop" returned 403: permission denied');
  for (const message of [roleError.message, jwtError.message]) assert.ok(!message.includes('jwt'), message);
});

test('a Vault that is not listening is reported by address', async () => {
  const closed = await startFakeVault();
  await closed.close();
  const backend = createVaultBackend({
    connection: { address: closed.address },
    tokens: { token: async () => ROOT_TOKEN, invalidate() {} },
  });

  const error = await failure(backend.read('secret/data/shop/db'));

  assert.equal(error.message, `cannot reach Vault at ${closed.address}: ECONNREFUSED`);
});

test('spec mistakes are reported before any request', () => {
  assert.throws(() => placeholderBackendFor({ backend: 'vault' }, deps()), /spec\.placeholders\.vault is required/);
  assert.throws(
    () => placeholderBackendFor({ backend: 'vault', vault: { address: vault.address, auth: {} } }, deps()),
    /exactly one of tokenSecretRef and kubernetes/,
  );
  assert.throws(
    () => placeholderBackendFor({ backend: 'vault', vault: { address: 'vault:8200', auth: { tokenSecretRef: { name: 't' } } } }, deps()),
    /must start with http/,
  );
});
