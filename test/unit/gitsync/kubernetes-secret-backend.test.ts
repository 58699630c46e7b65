import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createKubernetesSecretBackend } from '../../../src/gitsync/secrets/kubernetes-secret-backend.ts';
import { placeholderBackendFor } from '../../../src/gitsync/secrets/placeholder-backends.ts';
import { resolvePlaceholders } from '../../../src/gitsync/secrets/resolve-placeholders.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64');

const SECRETS: Record<string, Record<string, string>> = {
  'shop/db': { password: b64('shop-pw'), url: b64('postgres://db') },
  'shared/ca': { 'ca.crt': b64('-----BEGIN CERTIFICATE-----') },
  'kube-system/admin': { token: b64('cluster-admin-token') },
};
const readSecret = async (namespace: string, name: string) => SECRETS[`${namespace}/${name}`];

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => assert.fail('it succeeded'),
    (error: Error) => error,
  );

test('"name" and "namespace/name" paths read decoded values of Secrets in the GitSync namespace', async () => {
  const backend = createKubernetesSecretBackend({ namespace: 'shop', readSecret });
  assert.deepEqual(await backend.read('db'), { password: 'shop-pw', url: 'postgres://db' });
  assert.deepEqual(await backend.read('shop/db', '7'), { password: 'shop-pw', url: 'postgres://db' });
});

test('Secrets of other namespaces are refused unless the caller allows the namespace', async () => {
  const closed = createKubernetesSecretBackend({ namespace: 'shop', readSecret });
  const open = createKubernetesSecretBackend({ namespace: 'shop', readSecret, allowNamespace: (namespace) => namespace === 'shared' });

  const refused = await failure(closed.read('kube-system/admin'));
  assert.equal(refused.message, 'path "kube-system/admin" is in namespace "kube-system"; placeholders may only read Secrets in "shop"');
  assert.deepEqual(await open.read('shared/ca'), { 'ca.crt': '-----BEGIN CERTIFICATE-----' });
  await failure(open.read('kube-system/admin'));
});

test('a missing Secret or a malformed path is an error naming the path', async () => {
  const backend = createKubernetesSecretBackend({ namespace: 'shop', readSecret });
  assert.equal((await failure(backend.read('nope'))).message, 'nothing found at path "nope" (no Secret shop/nope)');
  assert.match((await failure(backend.read('a/b/c'))).message, /path "a\/b\/c" is not a Secret/);
  assert.match((await failure(backend.read('Bad_Name'))).message, /is not a Secret/);
});

test('a GitSync with the kubernetes backend fills a Secret from another Secret', async () => {
  const backend = placeholderBackendFor(
    { backend: 'kubernetes' },
    { namespace: 'shop', readSecret, serviceAccountToken: async () => assert.fail('no token needed') },
  );
  const object = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'app', annotations: { 'avp.kubernetes.io/path': 'db' } },
    data: { password: '<password | base64encode>' },
    stringData: { url: '<url>?sslmode=require' },
  };

  const [filled] = await resolvePlaceholders([{ object, source: 'app.yaml' }], backend);

  assert.deepEqual(filled?.object.data, { password: b64('shop-pw') });
  assert.deepEqual(filled?.object.stringData, { url: 'postgres://db?sslmode=require' });
});
