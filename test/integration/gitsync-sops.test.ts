// SOPS decryption with the real sops binary and real age keys: files encrypted the way users encrypt
// them, rendered objects changed the way Kustomize changes them. No Kubernetes needed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import type { RenderedObject } from '../../src/gitsync/rendered-object.ts';
import { decryptSopsObjects } from '../../src/gitsync/secrets/decrypt-sops-objects.ts';
import { SyncError } from '../../src/gitsync/sync-error.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { binarySets } from '../../src/localcluster/binary-sets.ts';
import { ensureBinaries } from '../../src/localcluster/build-binaries.ts';
import { BIN_LINK_DIR } from '../../src/localcluster/paths.ts';
import { runChecked } from '../../src/localcluster/run-command.ts';
import { ensureDebianPackage } from '../../src/localcluster/debian-packages.ts';

const PASSWORD = 'correct-horse-battery-staple';
const TOKEN = 'tok-7f3a9c1e';
const TOKEN_BASE64 = Buffer.from(TOKEN).toString('base64');
const PLAINTEXTS = [PASSWORD, TOKEN, TOKEN_BASE64];

const SECRET_YAML = `apiVersion: v1
kind: Secret
metadata:
  name: db
type: Opaque
stringData:
  password: ${PASSWORD}
  port: "5432"
data:
  token: ${TOKEN_BASE64}
`;

let sops: string;
let root: string;
let ageKey: string;
let otherAgeKey: string;
let recipient: string;

/** A project-built tool: $WREN_<NAME>, else the project's link, else built from its Go module now. */
async function toolBinary(name: 'sops' | 'kustomize'): Promise<string> {
  const fromEnv = process.env[`WREN_${name.toUpperCase()}`];
  if (fromEnv) return fromEnv;
  const linked = join(BIN_LINK_DIR, name);
  if (existsSync(linked)) return linked;
  if (!binarySets().some((set) => name in set.binaries)) {
    throw new Error(`${name} is not built by this project yet; set WREN_${name.toUpperCase()} to a ${name} binary`);
  }
  const built = await ensureBinaries((message) => process.stderr.write(`# ${message}\n`));
  return built[name] ?? assert.fail(`ensureBinaries built no ${name}`);
}

async function newAgeKey(): Promise<{ identity: string; recipient: string }> {
  const file = join(root, '..', `key-${Math.random().toString(36).slice(2)}.txt`);
  await runChecked('age-keygen', ['-o', file]);
  const identity = (await readFile(file, 'utf8')).split('\n').find((line) => line.startsWith('AGE-SECRET-KEY-1'));
  await rm(file);
  return {
    identity: identity ?? assert.fail('age-keygen wrote no key'),
    recipient: await runChecked('age-keygen', ['-y'], { input: `${identity}\n` }).then((out) => out.trim()),
  };
}

/** Writes plaintext, has real sops encrypt it in place, returns the encrypted text. */
async function encryptInto(file: string, plaintext: string): Promise<string> {
  const path = join(root, file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, plaintext);
  const args = ['--encrypt', '--age', recipient, '--encrypted-regex', '^(data|stringData)$', '--in-place', path];
  await runChecked(sops, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' } });
  return readFile(path, 'utf8');
}

const rendered = (object: unknown, source: string): RenderedObject => ({ object: structuredClone(object) as KubeObject, source });

async function decryptionError(objects: RenderedObject[], keys = [ageKey]): Promise<SyncError> {
  const error = await decryptSopsObjects(objects, { root, ageKeys: keys, sops, timeoutMs: 30_000 }).then(
    () => assert.fail('decryption succeeded'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof SyncError, String(error));
  assert.equal(error.stage, 'decrypt');
  for (const secret of [...PLAINTEXTS, ageKey, otherAgeKey])
    assert.ok(!error.message.includes(secret), `the error shows a secret: ${error.message}`);
  return error;
}

const decrypt = (objects: RenderedObject[]) =>
  decryptSopsObjects(objects, { root, ageKeys: [otherAgeKey, ageKey], sops, timeoutMs: 30_000 });

before(async () => {
  await ensureDebianPackage('/usr/bin/age-keygen', 'age');
  sops = await toolBinary('sops');
  root = join(await mkdtemp(join(tmpdir(), 'wren-sops-')), 'repo');
  await mkdir(root);
  const key = await newAgeKey();
  ageKey = key.identity;
  recipient = key.recipient;
  otherAgeKey = (await newAgeKey()).identity;
});

after(async () => {
  if (root) await rm(dirname(root), { recursive: true, force: true });
});

test('a Secret encrypted with sops and age is applied with its values decrypted and without sops metadata', async () => {
  const encrypted = parse(await encryptInto('plain/secret.yaml', SECRET_YAML));
  assert.notEqual(encrypted.stringData.password, PASSWORD, 'sops encrypted the password');

  const [secret] = await decrypt([rendered(encrypted, 'plain/secret.yaml')]);

  assert.deepEqual(secret?.object, parse(SECRET_YAML));
  assert.equal(secret?.source, 'plain/secret.yaml');
});

test('a Secret that Kustomize changed after encryption is decrypted from its source and keeps the changes', async () => {
  const encrypted = parse(await encryptInto('base/db-secret.yaml', SECRET_YAML));
  const fromKustomize = structuredClone(encrypted);
  fromKustomize.metadata = { name: 'db-5h7g8k2m9t', namespace: 'prod', labels: { team: 'payments' } };

  const [secret] = await decrypt([rendered(fromKustomize, 'kustomize build overlays/prod')]);

  assert.deepEqual(secret?.object.metadata, { name: 'db-5h7g8k2m9t', namespace: 'prod', labels: { team: 'payments' } });
  assert.deepEqual(secret?.object.stringData, { password: PASSWORD, port: '5432' });
  assert.deepEqual(secret?.object.data, { token: TOKEN_BASE64 });
  assert.equal(secret?.object.sops, undefined);
});

test('a Secret rendered by kustomize with a namespace, name suffix and labels is decrypted', async () => {
  await encryptInto('kustomized/base/secret.yaml', SECRET_YAML);
  await writeFile(join(root, 'kustomized/base/kustomization.yaml'), 'resources:\n- secret.yaml\n');
  await mkdir(join(root, 'kustomized/prod'));
  const overlay = 'resources:\n- ../base\nnamespace: prod\nnameSuffix: -v2\nlabels:\n- pairs:\n    team: payments\n';
  await writeFile(join(root, 'kustomized/prod/kustomization.yaml'), overlay);
  const built = await runChecked(await toolBinary('kustomize'), ['build', join(root, 'kustomized/prod')]);

  const [secret] = await decrypt([rendered(parse(built), 'kustomize build kustomized/prod')]);

  assert.deepEqual(secret?.object.metadata, { name: 'db-v2', namespace: 'prod', labels: { team: 'payments' } });
  assert.deepEqual(secret?.object.stringData, { password: PASSWORD, port: '5432' });
  assert.deepEqual(secret?.object.data, { token: TOKEN_BASE64 });
});

test('an encrypted document among others in one file is found and decrypted', async () => {
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n';
  const secretText = await encryptInto('multi/only-secret.yaml', SECRET_YAML);
  await writeFile(join(root, 'multi/all.yaml'), `${configMap}---\n${secretText}`);
  await rm(join(root, 'multi/only-secret.yaml'));

  const objects = [rendered(parse(configMap), 'multi/all.yaml'), rendered(parse(secretText), 'multi/all.yaml')];
  const [config, secret] = await decrypt(objects);

  assert.deepEqual(config?.object, parse(configMap));
  assert.deepEqual(secret?.object, parse(SECRET_YAML));
});

test('an encrypted JSON manifest is decrypted as JSON', async () => {
  const encrypted = JSON.parse(await encryptInto('json/secret.json', JSON.stringify(parse(SECRET_YAML), null, 2)));

  const [secret] = await decrypt([rendered(encrypted, 'json/secret.json')]);

  assert.deepEqual(secret?.object, parse(SECRET_YAML));
});

test('objects without sops metadata pass through unchanged', async () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } };
  const output = await decrypt([rendered(deployment, 'web.yaml')]);
  assert.deepEqual(output, [rendered(deployment, 'web.yaml')]);
});

test('decryption writes nothing into the checkout', async () => {
  const encrypted = parse(await encryptInto('quiet/secret.yaml', SECRET_YAML));
  const before = await readdir(root, { recursive: true });
  await decrypt([rendered(encrypted, 'quiet/secret.yaml')]);
  assert.deepEqual(await readdir(root, { recursive: true }), before);
});

test('a key that cannot decrypt the file fails with an error naming the file and the object, and no value', async () => {
  const encrypted = parse(await encryptInto('wrong-key/secret.yaml', SECRET_YAML));

  const error = await decryptionError([rendered(encrypted, 'wrong-key/secret.yaml')], [otherAgeKey]);

  assert.equal(error.file, 'wrong-key/secret.yaml');
  assert.equal(error.object, 'Secret db');
  assert.match(error.message, /none of the age keys/);
});

test('a changed ciphertext in the source file fails decryption', async () => {
  const text = await encryptInto('tampered/ciphertext.yaml', SECRET_YAML);
  const tampered = text.replace(
    /(password: ENC\[AES256_GCM,data:)(.)/,
    (_all, head: string, first: string) => head + (first === 'A' ? 'B' : 'A'),
  );
  assert.notEqual(tampered, text);
  await writeFile(join(root, 'tampered/ciphertext.yaml'), tampered);

  const error = await decryptionError([rendered(parse(tampered), 'tampered/ciphertext.yaml')]);

  assert.equal(error.file, 'tampered/ciphertext.yaml');
  assert.match(error.message, /ciphertext was changed/);
});

test('a plaintext field changed in the source file after encryption fails the MAC check', async () => {
  const text = await encryptInto('tampered/mac.yaml', SECRET_YAML);
  const tampered = text.replace('name: db', 'name: db-evil');
  await writeFile(join(root, 'tampered/mac.yaml'), tampered);

  const error = await decryptionError([rendered(parse(tampered), 'tampered/mac.yaml')]);

  assert.match(error.message, /MAC does not match/);
  assert.doesNotMatch(error.message, /[0-9A-F]{64}/, 'the computed MAC is a digest of the plaintext and stays out');
});

test('a changed MAC fails decryption', async () => {
  const text = await encryptInto('tampered/mac-value.yaml', SECRET_YAML);
  const tampered = text.replace(
    /(mac: ENC\[AES256_GCM,data:)(.)/,
    (_all, head: string, first: string) => head + (first === 'A' ? 'B' : 'A'),
  );
  await writeFile(join(root, 'tampered/mac-value.yaml'), tampered);

  const error = await decryptionError([rendered(parse(tampered), 'tampered/mac-value.yaml')]);

  assert.match(error.message, /MAC/);
});

test('a rendered object whose ciphertexts were swapped by a patch is refused', async () => {
  const encrypted = parse(await encryptInto('swapped/secret.yaml', SECRET_YAML));
  const patched = structuredClone(encrypted);
  patched.stringData.password = encrypted.stringData.port;

  const error = await decryptionError([rendered(patched, 'kustomize build swapped')]);

  assert.equal(error.file, 'swapped/secret.yaml');
  assert.match(error.message, /stringData\.password is not the one in the source file/);
});

test('an encrypted object with no source file in the checkout fails naming where it was rendered from', async () => {
  const encrypted = parse(await encryptInto('gone/secret.yaml', SECRET_YAML));
  await rm(join(root, 'gone/secret.yaml'));

  const error = await decryptionError([rendered(encrypted, 'helm template charts/app')]);

  assert.equal(error.file, 'helm template charts/app');
  assert.match(error.message, /no file in the repository holds this encrypted document/);
});
