// The plain-directory renderer over real files in a temporary checkout. No tools run: the
// directory renderer needs none, which is also why `tools` below point nowhere.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { renderManifests } from '../../../src/gitsync/render/render-manifests.ts';
import { SyncError } from '../../../src/gitsync/sync-error.ts';

let root: string;
let outside: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'wren-render-dir-'));
  outside = await mkdtemp(join(tmpdir(), 'wren-render-outside-'));
  await writeFile(join(outside, 'token.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: stolen}\n');
});

after(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

async function repo(name: string, files: Record<string, string>): Promise<string> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, name, path)), { recursive: true });
    await writeFile(join(root, name, path), text);
  }
  return name;
}

const render = (path: string) =>
  renderManifests({
    root,
    path,
    tools: { git: '/nonexistent', kustomize: '/nonexistent', helm: '/nonexistent', sops: '/nonexistent' },
    timeoutMs: 5000,
    releaseNamespace: 'default',
  });

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

async function renderError(path: string): Promise<SyncError> {
  const error = await render(path).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof SyncError, `expected a SyncError, got ${String(error)}`);
  return error;
}

test('every manifest file under the path, recursively and in sorted order, each object naming its file', async () => {
  const path = await repo('apps', {
    'web/service.yaml': configMap('web-service'),
    'web/deployment.yml': `${configMap('web-a')}---\n# only a comment\n---\n${configMap('web-b')}`,
    'db.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'db' } }),
    'list.yaml': `apiVersion: v1\nkind: List\nitems:\n- ${configMap('item-1').trim().split('\n').join('\n  ')}\n`,
    'README.md': '# not a manifest',
    '.github/workflows/ci.yaml': 'on: push\n',
    '.hidden.yaml': 'not: an object\n',
  });
  const rendered = await render(path);
  assert.deepEqual(
    rendered.map(({ object, source }) => `${source}: ${object.metadata?.name}`),
    [
      'apps/db.json: db',
      'apps/list.yaml: item-1',
      'apps/web/deployment.yml: web-a',
      'apps/web/deployment.yml: web-b',
      'apps/web/service.yaml: web-service',
    ],
  );
});

test('YAML anchors and merge keys work as they do for kubectl', async () => {
  const path = await repo('anchors', {
    'cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: merged}\ndata:\n  base: &base {a: "1"}\n  more:\n    <<: *base\n    b: "2"\n',
  });
  const [rendered] = await render(path);
  assert.deepEqual(rendered?.object.data, { base: { a: '1' }, more: { a: '1', b: '2' } });
});

test('malformed YAML fails naming the file and the line', async () => {
  const path = await repo('broken-yaml', {
    'ok.yaml': configMap('ok'),
    'bad.yaml': `${configMap('first')}---\nkind: ConfigMap\nmetadata:\n  name: a: b\n`,
  });
  const error = await renderError(path);
  assert.equal(error.stage, 'render');
  assert.equal(error.file, 'broken-yaml/bad.yaml');
  assert.match(error.message, /invalid YAML at line 8, column 9: /);
});

test('a document that is not a Kubernetes object fails naming the file, document and line', async () => {
  const path = await repo('not-objects', { 'values.yaml': `${configMap('fine')}---\nreplicaCount: 3\nimage: app\n` });
  const error = await renderError(path);
  assert.equal(error.file, 'not-objects/values.yaml');
  assert.match(error.message, /document 2 \(line 6\) is not a Kubernetes object: it needs apiVersion and kind/);
});

test('malformed JSON names the file and line', async () => {
  const path = await repo('broken-json', { 'cm.json': '{\n  "apiVersion": "v1",\n}\n' });
  const error = await renderError(path);
  assert.equal(error.file, 'broken-json/cm.json');
  assert.match(error.message, /invalid JSON: .*line 3/);
});

test('paths and symlinks that leave the checkout are refused', async () => {
  assert.match((await renderError('../')).message, /path "\.\.\/" points outside the repository/);
  assert.match((await renderError('missing')).message, /path "missing" does not exist in the repository/);
  const path = await repo('linked', { 'ok.yaml': configMap('ok') });
  await symlink(join(outside, 'token.yaml'), join(root, path, 'token.yaml'));
  const error = await renderError(path);
  assert.equal(error.file, 'linked/token.yaml');
  assert.match(error.message, /symlink to outside the repository/);
});

test('symlinks inside the checkout are followed once, loops end', async () => {
  const path = await repo('inner-links', { 'real/cm.yaml': configMap('shared') });
  await symlink(join(root, path, 'real'), join(root, path, 'alias'));
  await symlink(join(root, path), join(root, path, 'real', 'loop'));
  const rendered = await render(path);
  assert.deepEqual(
    rendered.map(({ object }) => object.metadata?.name),
    ['shared'],
  );
});

test('an explicit directory renderer reads the files and leaves the kustomization out', async () => {
  const path = await repo('explicit', { 'kustomization.yaml': 'resources: [cm.yaml]\nnamePrefix: p-\n', 'cm.yaml': configMap('plain') });
  const rendered = await renderManifests({
    root,
    path,
    render: { type: 'directory' },
    tools: { git: 'git', kustomize: '/nonexistent', helm: '/nonexistent', sops: '/nonexistent' },
    timeoutMs: 5000,
    releaseNamespace: 'default',
  });
  assert.deepEqual(
    rendered.map(({ object }) => object.metadata?.name),
    ['plain'],
  );
});
