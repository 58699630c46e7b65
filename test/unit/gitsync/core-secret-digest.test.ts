import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSecretDigests } from '../../../src/gitsync/secret-digest.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const PASSWORD = 'correct-horse-battery-staple';
const TOKEN = 'tok_9f8e7d6c5b4a';

const secret = (fields: Record<string, unknown>, apiVersion = 'v1'): KubeObject => ({
  apiVersion,
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'shop', labels: { app: 'db' } },
  type: 'Opaque',
  ...fields,
});

const dataOf = (object: KubeObject) => object.data as Record<string, string> | undefined;

test('data values are replaced by sha256 digests; the rest of the Secret is kept', () => {
  const output = withSecretDigests(secret({ data: { password: base64(PASSWORD), token: base64(TOKEN) } }));
  assert.deepEqual(Object.keys(dataOf(output) ?? {}).sort(), ['password', 'token']);
  for (const value of Object.values(dataOf(output) ?? {})) assert.match(value, /^sha256:[0-9a-f]{32}$/);
  assert.notEqual(dataOf(output)?.password, dataOf(output)?.token);
  assert.deepEqual(output.metadata, { name: 'db', namespace: 'shop', labels: { app: 'db' } });
  assert.equal(output.type, 'Opaque');
});

test('neither the plaintext nor its base64 appears anywhere in the output', () => {
  const outputs = [
    withSecretDigests(secret({ data: { password: base64(PASSWORD) } })),
    withSecretDigests(secret({ stringData: { password: PASSWORD, token: TOKEN } })),
    withSecretDigests(secret({ data: { password: base64('old') }, stringData: { password: PASSWORD } })),
  ];
  for (const output of outputs) {
    const text = JSON.stringify(output);
    for (const leak of [PASSWORD, base64(PASSWORD), TOKEN, base64(TOKEN)]) assert.equal(text.includes(leak), false, `${leak} in ${text}`);
    assert.equal('stringData' in output, false);
  }
});

test('stringData is folded into data: the same value written either way gives the same result', () => {
  assert.deepEqual(
    withSecretDigests(secret({ stringData: { password: PASSWORD } })),
    withSecretDigests(secret({ data: { password: base64(PASSWORD) } })),
  );
});

test('stringData and data together merge, stringData winning a shared key as the API server does', () => {
  const mixed = withSecretDigests(secret({ data: { password: base64('old'), user: base64('admin') }, stringData: { password: PASSWORD } }));
  const expected = withSecretDigests(secret({ data: { password: base64(PASSWORD), user: base64('admin') } }));
  assert.deepEqual(mixed, expected);
});

test('a different value gives a different digest, the same value the same digest', () => {
  const one = dataOf(withSecretDigests(secret({ data: { password: base64(PASSWORD) } })))?.password;
  const again = dataOf(withSecretDigests(secret({ data: { password: base64(PASSWORD) } })))?.password;
  const other = dataOf(withSecretDigests(secret({ data: { password: base64(`${PASSWORD}!`) } })))?.password;
  assert.equal(one, again);
  assert.notEqual(one, other);
});

test('a Secret without data stays without data; an explicitly empty data stays empty', () => {
  assert.equal('data' in withSecretDigests(secret({})), false);
  assert.equal('data' in withSecretDigests(secret({ stringData: {} })), false);
  assert.deepEqual(dataOf(withSecretDigests(secret({ data: {} }))), {});
});

test('objects that are not core v1 Secrets are returned untouched', () => {
  const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { password: PASSWORD } };
  const customSecret = secret({ data: { password: PASSWORD } }, 'example.com/v1');
  assert.equal(withSecretDigests(configMap), configMap);
  assert.equal(withSecretDigests(customSecret), customSecret);
});

test('a Secret without apiVersion counts as a core Secret', () => {
  const { apiVersion: _apiVersion, ...withoutVersion } = secret({ stringData: { password: PASSWORD } });
  assert.equal(JSON.stringify(withSecretDigests(withoutVersion)).includes(PASSWORD), false);
});

test('the input Secret is not changed', () => {
  const input = secret({ data: { password: base64(PASSWORD) }, stringData: { token: TOKEN } });
  const before = structuredClone(input);
  withSecretDigests(input);
  assert.deepEqual(input, before);
});
