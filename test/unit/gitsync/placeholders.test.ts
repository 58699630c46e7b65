import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PathNotFoundError, type PlaceholderBackend, type ReadOptions } from '../../../src/gitsync/secrets/placeholder-backend.ts';
import { parsePlaceholder, substitutePlaceholders } from '../../../src/gitsync/secrets/placeholders.ts';
import { resolvePlaceholders } from '../../../src/gitsync/secrets/resolve-placeholders.ts';
import { SyncError } from '../../../src/gitsync/sync-error.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';

const PASSWORD = 's3cr3t-pw';
const STORE: Record<string, Record<string, unknown>> = {
  'secret/data/db': {
    username: 'app',
    password: PASSWORD,
    replicas: 3,
    config: '{"host":"db.local","port":5432}',
    b64: Buffer.from('decoded!').toString('base64'),
  },
  'secret/data/db@1': { password: 'old-pw' },
  'secret/data/yaml': { doc: 'user: yamluser\nroles: [a, b]\n' },
};

/** An in-memory store that records what was asked of it. */
function memoryBackend(): PlaceholderBackend & { reads: [string, string | undefined, ReadOptions | undefined][] } {
  const reads: [string, string | undefined, ReadOptions | undefined][] = [];
  return {
    reads,
    async read(path, version, options) {
      reads.push([path, version, options]);
      const data = STORE[version ? `${path}@${version}` : path];
      if (!data) throw new PathNotFoundError(path);
      return data;
    },
  };
}

const withPath = (kind: string, fields: Record<string, unknown>, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name: 'x', annotations: { 'avp.kubernetes.io/path': 'secret/data/db', ...annotations } },
  ...fields,
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

test('placeholders parse into path, key, version and modifiers', () => {
  assert.deepEqual(parsePlaceholder('password'), { key: 'password', modifiers: [] });
  assert.deepEqual(parsePlaceholder('path:secret/data/db#password'), { path: 'secret/data/db', key: 'password', modifiers: [] });
  assert.deepEqual(parsePlaceholder('path:secret/data/db#password#2'), {
    path: 'secret/data/db',
    key: 'password',
    version: '2',
    modifiers: [],
  });
  assert.deepEqual(parsePlaceholder('path:p#config | jsonPath {.host} | base64encode'), {
    path: 'p',
    key: 'config',
    modifiers: [' jsonPath {.host} ', ' base64encode'],
  });
});

test('generic placeholders resolve against the path annotation, whole or inside text', async () => {
  const object = withPath('Deployment', {
    spec: {
      env: [
        { name: 'URL', value: 'postgres://<username>:<password>@db' },
        { name: 'U', value: '<username>' },
      ],
    },
  });
  const filled = await substitutePlaceholders(object, memoryBackend());
  assert.deepEqual(filled.spec, {
    env: [
      { name: 'URL', value: `postgres://app:${PASSWORD}@db` },
      { name: 'U', value: 'app' },
    ],
  });
});

test('without the path annotation only inline-path placeholders are replaced; other <text> stays', async () => {
  const object: KubeObject = {
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crd' },
    spec: { description: "metadata.labels['<KEY>']", credential: '<path:secret/data/db#password>' },
  };
  const filled = await substitutePlaceholders(object, memoryBackend());
  assert.deepEqual(filled.spec, { description: "metadata.labels['<KEY>']", credential: PASSWORD });
});

test('versions come from the inline placeholder or the secret-version annotation; kv-version reaches the backend', async () => {
  const backend = memoryBackend();
  const inline = await substitutePlaceholders({ kind: 'Pod', metadata: { name: 'p' }, v: '<path:secret/data/db#password#1>' }, backend);
  const generic = await substitutePlaceholders(
    withPath('Pod', { v: '<password>' }, { 'avp.kubernetes.io/secret-version': '1', 'avp.kubernetes.io/kv-version': '1' }),
    backend,
  );
  assert.equal(inline.v, 'old-pw');
  assert.equal(generic.v, 'old-pw');
  assert.deepEqual(backend.reads.at(-1), ['secret/data/db', '1', { kvVersion: '1' }]);
});

test('modifiers transform the value left to right', async () => {
  const object = withPath('Pod', {
    encoded: '<password | base64encode>',
    decoded: '<b64 | base64decode>',
    host: '<path:secret/data/db#config | jsonPath {.host}>',
    hostPort: '<config | jsonPath {.host}{":"}{.port} | base64encode>',
    fromYaml: '<path:secret/data/yaml#doc | yamlParse | jsonPath {.user}>',
    port: '<config | jsonParse | jsonPath {.port} | jsonParse>',
  });
  const filled = await substitutePlaceholders(object, memoryBackend());
  assert.equal(filled.encoded, b64(PASSWORD));
  assert.equal(filled.decoded, 'decoded!');
  assert.equal(filled.host, 'db.local');
  assert.equal(filled.hostPort, b64('db.local:5432'));
  assert.equal(filled.fromYaml, 'yamluser');
  assert.equal(filled.port, 5432);
});

test('a non-string value replaces a whole field as itself, and is written as text inside other text', async () => {
  const filled = await substitutePlaceholders(
    withPath('Deployment', { spec: { replicas: '<replicas>', note: 'x<replicas>x' } }),
    memoryBackend(),
  );
  assert.deepEqual(filled.spec, { replicas: 3, note: 'x3x' });
});

test('in a Secret, data values go in as stored, and base64-encoded placeholders are filled and re-encoded', async () => {
  const object = withPath('Secret', {
    data: {
      raw: '<b64>',
      encoded: '<password | base64encode>',
      url: b64('postgres://<username>:<password>@db'),
      plain: b64('no placeholders'),
    },
    stringData: { password: '<password>' },
  });
  const filled = await substitutePlaceholders(object, memoryBackend());
  assert.deepEqual(filled.data, {
    raw: b64('decoded!'),
    encoded: b64(PASSWORD),
    url: b64(`postgres://app:${PASSWORD}@db`),
    plain: b64('no placeholders'),
  });
  assert.deepEqual(filled.stringData, { password: PASSWORD });
});

test('in a ConfigMap, non-string values become strings', async () => {
  const filled = await substitutePlaceholders(withPath('ConfigMap', { data: { replicas: '<replicas>' } }), memoryBackend());
  assert.deepEqual(filled.data, { replicas: '3' });
});

test('avp.kubernetes.io/ignore: "true" leaves the object untouched and reads nothing', async () => {
  const backend = memoryBackend();
  const object = withPath('Secret', { stringData: { a: '<password>', b: '<path:nowhere#x>' } }, { 'avp.kubernetes.io/ignore': 'true' });
  assert.equal(await substitutePlaceholders(object, backend), object);
  assert.deepEqual(backend.reads, []);
});

test('missing keys and paths are errors that name the field, key and path but no value', async () => {
  const object = withPath('Secret', { stringData: { a: '<nokey>', b: '<path:secret/data/gone#password>', c: `<password>` } });
  const error = await substitutePlaceholders(object, memoryBackend()).then(
    () => assert.fail('substitution succeeded'),
    (caught: Error) => caught,
  );
  assert.equal(
    error.message,
    'stringData.a: key "nokey" not found at path "secret/data/db"; stringData.b: nothing found at path "secret/data/gone"',
  );
});

test('modifier failures say what is wrong with the value without showing it', async () => {
  const object = withPath('Pod', { a: '<password | jsonParse>', b: '<password | frobnicate>', c: '<config | jsonPath {.missing}>' });
  const error = await substitutePlaceholders(object, memoryBackend()).then(
    () => assert.fail('substitution succeeded'),
    (caught: Error) => caught,
  );
  assert.match(error.message, /^a: key "password" at path "secret\/data\/db": jsonParse: the value is not JSON; /);
  assert.match(error.message, /b: .*unknown modifier "frobnicate"/);
  assert.match(error.message, /c: .*jsonPath: jsonPath \$\.missing matches nothing/);
  assert.ok(!error.message.includes(PASSWORD) && !error.message.includes('db.local'), error.message);
});

test('a sync reads each path once and reports the failing object as a placeholders SyncError', async () => {
  const backend = memoryBackend();
  const objects = [
    { object: withPath('Secret', { stringData: { a: '<username>', b: '<password>' } }), source: 'apps/a.yaml' },
    { object: withPath('ConfigMap', { data: { a: '<username>' } }), source: 'apps/b.yaml' },
  ];
  const filled = await resolvePlaceholders(objects, backend);
  assert.deepEqual(
    filled.map((rendered) => rendered.source),
    ['apps/a.yaml', 'apps/b.yaml'],
  );
  assert.equal(backend.reads.length, 1);

  const broken = [
    {
      object: withPath('Secret', { metadata: { name: 'db', namespace: 'shop', annotations: {} }, stringData: { a: '<path:x#y>' } }),
      source: 'kustomize build apps',
    },
  ];
  const error = await resolvePlaceholders(broken, backend).then(
    () => assert.fail('resolution succeeded'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof SyncError);
  assert.equal(error.stage, 'placeholders');
  assert.equal(error.file, 'kustomize build apps');
  assert.equal(error.object, 'Secret shop/db');
  assert.match(error.message, /stringData\.a: nothing found at path "x"/);
});
