import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeDecrypted } from '../../../src/gitsync/secrets/merge-decrypted.ts';
import { explainFailure } from '../../../src/gitsync/secrets/sops-decrypt.ts';

const enc = (name: string, type = 'str') => `ENC[AES256_GCM,data:${name},iv:aXY=,tag:dGFn,type:${type}]`;

test('encrypted leaves take the decrypted value at the same path, typed values included', () => {
  const encrypted = { spec: { ports: [enc('p', 'int')], env: [{ name: 'A', value: enc('a') }] }, sops: { mac: enc('mac') } };
  const decrypted = { spec: { ports: [8080], env: [{ name: 'A', value: 'plain-a' }] } };
  const rendered = { ...structuredClone(encrypted), metadata: { namespace: 'added-by-kustomize' } };

  assert.deepEqual(mergeDecrypted(rendered, encrypted, decrypted), {
    spec: { ports: [8080], env: [{ name: 'A', value: 'plain-a' }] },
    metadata: { namespace: 'added-by-kustomize' },
  });
});

test('a rendered ciphertext that the source does not hold at that path is refused, naming only the field', () => {
  const encrypted = { data: { a: enc('a'), b: enc('b') }, sops: { mac: enc('mac') } };
  const decrypted = { data: { a: 'plain-a', b: 'plain-b' } };
  const moved = { data: { a: enc('b') }, sops: encrypted.sops };
  const added = { data: { a: enc('a'), c: enc('c') }, sops: encrypted.sops };

  assert.throws(() => mergeDecrypted(moved, encrypted, decrypted), { message: /^the encrypted value at data\.a is not the one/ });
  assert.throws(() => mergeDecrypted(added, encrypted, decrypted), { message: /^the encrypted value at data\.c is not the one/ });
});

test('sops failures become reasons without digests, ciphertext or keys', () => {
  const mismatch =
    'MAC mismatch. File has 809D1DE1E5C03A12F063BC00D0058254510AE7982312B6221F732DEB60A9F7BF, computed 34C30BCEF39558B6A024CF4A8C521D0A35ED94994269F6CB8A9D133C06794D7E';
  assert.equal(explainFailure(mismatch, 51), 'the MAC does not match: the document was changed after it was encrypted');
  assert.match(explainFailure('Failed to get the data key required to decrypt the SOPS file.', 128), /none of the age keys/);

  const unknown = explainFailure(
    `odd failure near ${enc('c2VjcmV0')} with AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\nmore`,
    3,
  );
  assert.equal(unknown, 'sops exited with code 3: odd failure near ENC[…] with AGE-SECRET-KEY-…');
});
