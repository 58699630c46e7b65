// The render step with the real kustomize and helm binaries the project builds from their Go
// modules, over repositories laid out the way users lay them out. No Kubernetes needed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { renderManifests, type RenderInput } from '../../src/gitsync/render/render-manifests.ts';
import type { RenderedObject } from '../../src/gitsync/rendered-object.ts';
import { SyncError } from '../../src/gitsync/sync-error.ts';
import { ensureBinaries } from '../../src/localcluster/build-binaries.ts';
import { BIN_LINK_DIR } from '../../src/localcluster/paths.ts';

let root: string;
let tools: RenderInput['tools'];

/** A project-built tool: $WREN_<NAME>, else the project's link, else built from its Go module now. */
async function toolBinary(name: 'kustomize' | 'helm'): Promise<string> {
  const fromEnv = process.env[`WREN_${name.toUpperCase()}`];
  if (fromEnv) return fromEnv;
  const linked = join(BIN_LINK_DIR, name);
  if (existsSync(linked)) return linked;
  const built = await ensureBinaries((message) => process.stderr.write(`# ${message}\n`));
  return built[name] ?? assert.fail(`ensureBinaries built no ${name}`);
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'wren-render-it-'));
  tools = { git: 'git', kustomize: await toolBinary('kustomize'), helm: await toolBinary('helm'), sops: 'sops' };
});

after(() => rm(root, { recursive: true, force: true }));

async function files(tree: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(tree)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

const render = (path: string, rest: Partial<RenderInput> = {}) =>
  renderManifests({ root, path, tools, timeoutMs: 60_000, releaseNamespace: 'shop', ...rest });

async function renderError(path: string, rest: Partial<RenderInput> = {}): Promise<SyncError> {
  const error = await render(path, rest).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof SyncError, `expected a SyncError, got ${String(error)}`);
  assert.equal(error.stage, 'render');
  return error;
}

const byName = (rendered: RenderedObject[]) => Object.fromEntries(rendered.map((item) => [item.object.metadata?.name, item]));
const imagesOf = (item: RenderedObject | undefined) =>
  ((item?.object.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers ?? []).map((c) => c.image);

const deployment = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: ${name}
        image: ${image}
`;

test('a kustomization is built with kustomize when the path holds one: prefixes and image overrides applied', async () => {
  await files({
    'kustomize/base/kustomization.yaml': 'resources: [web.yaml]\n',
    'kustomize/base/web.yaml': deployment('web', 'registry.local:5000/shop/web:1.0'),
    'kustomize/overlays/prod/kustomization.yaml': `resources: [../../base]
namePrefix: prod-
namespace: shop-prod
images:
- name: registry.local:5000/shop/web
  newTag: "1.1"
`,
  });
  const rendered = await render('kustomize/overlays/prod');
  const web = byName(rendered)['prod-web'];
  assert.ok(web, `rendered ${rendered.map((item) => item.object.metadata?.name).join(', ')}`);
  assert.equal(web.object.metadata?.namespace, 'shop-prod');
  assert.deepEqual(imagesOf(web), ['registry.local:5000/shop/web:1.1']);
  assert.equal(web.source, 'kustomize build kustomize/overlays/prod');
});

test('a kustomization that references a missing file fails naming the path and the file', async () => {
  await files({ 'broken/kustomization.yaml': 'resources: [web.yaml, missing.yaml]\n', 'broken/web.yaml': deployment('web', 'web:1') });
  const error = await renderError('broken');
  assert.equal(error.file, 'broken');
  assert.match(error.message, /missing\.yaml/);
  assert.doesNotMatch(error.message, new RegExp(root), 'paths are shown relative to the repository');
});

test('malformed YAML in a kustomization resource names the file and the line', async () => {
  await files({
    'malformed/kustomization.yaml': 'resources: [cm.yaml]\n',
    'malformed/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a: b\n',
  });
  const error = await renderError('malformed');
  assert.match(error.message, /line 4/);
  assert.match(error.message, /cm\.yaml/);
});

test('kustomize may not read files outside the kustomization or inflate helm charts', async () => {
  await files({
    'escape/kustomization.yaml': 'resources: [../kustomize/base/web.yaml]\n',
    'inflate/kustomization.yaml': 'helmCharts:\n- name: redis\n  repo: https://charts.example.com\n  version: 1.0.0\n',
  });
  assert.match((await renderError('escape')).message, /is not in or below/);
  assert.match((await renderError('inflate')).message, /--enable-helm/);
});

const CHART = {
  'charts/shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
  'charts/shop/values.yaml': 'replicas: 1\nimage: shop:1.0\ncolor: blue\nsize: small\n',
  'charts/shop/values-prod.yaml': 'replicas: 3\ncolor: green\n',
  'charts/shop/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
  labels: {color: {{ .Values.color }}, size: {{ .Values.size }}}
spec:
  replicas: {{ .Values.replicas }}
  selector: {matchLabels: {app: {{ .Release.Name }}}}
  template:
    metadata: {labels: {app: {{ .Release.Name }}}}
    spec:
      containers:
      - name: app
        image: {{ .Values.image }}
`,
  'charts/shop/templates/tests/ping.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-ping
  annotations: {helm.sh/hook: test}
spec:
  containers: [{name: ping, image: busybox}]
`,
  'charts/shop/crds/widgets.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
`,
  'shared/size.yaml': 'size: large\n',
};

test('a helm chart renders with its values, values files and inline values, in that order of precedence', async () => {
  await files(CHART);
  const rendered = await render('charts/shop', {
    render: { type: 'helm', helm: { valuesFiles: ['values-prod.yaml', '../../shared/size.yaml'], values: { color: 'red' } } },
  });
  const app = byName(rendered).shop;
  assert.ok(app, `rendered ${rendered.map((item) => item.object.metadata?.name).join(', ')}`);
  assert.equal((app.object.spec as { replicas: number }).replicas, 3, 'values file over chart defaults');
  assert.deepEqual(app.object.metadata?.labels, { color: 'red', size: 'large' }, 'inline values over values files');
  assert.equal(app.object.metadata?.namespace, 'shop', 'the release namespace defaults to the GitSync target');
  assert.deepEqual(imagesOf(app), ['shop:1.0']);
  assert.equal(app.source, 'charts/shop/templates/deployment.yaml', 'each object names its template in the repository');
  assert.equal(byName(rendered)['widgets.example.com']?.source, 'charts/shop/crds/widgets.yaml', 'CRDs are included');
  assert.equal(byName(rendered)['shop-ping'], undefined, 'test hooks are not applied');
});

test('release name and namespace come from render.helm when set', async () => {
  await files(CHART);
  const rendered = await render('charts/shop', { render: { type: 'helm', helm: { releaseName: 'storefront', namespace: 'retail' } } });
  const app = byName(rendered).storefront;
  assert.equal(app?.object.metadata?.namespace, 'retail');
});

test('values files outside the checkout are refused', async () => {
  await files(CHART);
  const error = await renderError('charts/shop', { render: { type: 'helm', helm: { valuesFiles: ['../../../etc/passwd'] } } });
  assert.match(error.message, /values file .* points outside the repository/);
});

test('a chart with a symlink to outside the checkout is refused before helm can read it', async () => {
  await files({
    'leaky/Chart.yaml': 'apiVersion: v2\nname: leaky\nversion: 0.1.0\n',
    'leaky/templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leak}\ndata: {host: {{ .Files.Get "files/host" | quote }}}\n',
  });
  await mkdir(join(root, 'leaky/files'));
  await symlink('/etc/hostname', join(root, 'leaky/files/host'));
  const error = await renderError('leaky', { render: { type: 'helm' } });
  assert.equal(error.file, 'leaky/files/host');
  assert.match(error.message, /symlink to outside the repository/);
});

test('a chart dependency that is not vendored is reported, not downloaded', async () => {
  await files({
    'deps/Chart.yaml':
      'apiVersion: v2\nname: deps\nversion: 0.1.0\ndependencies:\n- name: redis\n  version: 1.0.0\n  repository: https://charts.example.com\n',
    'deps/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deps}\n',
  });
  const error = await renderError('deps', { render: { type: 'helm' } });
  assert.equal(error.file, 'deps/Chart.yaml');
  assert.match(error.message, /dependency redis \(https:\/\/charts\.example\.com\) is not vendored in charts\//);
});

test('a template error names the template and leaves out helm flag hints', async () => {
  await files({
    'failing/Chart.yaml': 'apiVersion: v2\nname: failing\nversion: 0.1.0\n',
    'failing/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ required "name is required" .Values.name }}\n',
  });
  const error = await renderError('failing', { render: { type: 'helm' } });
  assert.equal(error.file, 'failing');
  assert.match(error.message, /failing\/templates\/cm\.yaml.*name is required/);
  assert.doesNotMatch(error.message, /--debug/);
});
