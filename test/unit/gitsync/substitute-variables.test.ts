import assert from 'node:assert/strict';
import { test } from 'node:test';
import { substituteVariables } from '../../../src/gitsync/render/substitute-variables.ts';
import type { RenderedObject } from '../../../src/gitsync/rendered-object.ts';
import { SyncError } from '../../../src/gitsync/sync-error.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';

const configMap = (data: Record<string, string>, metadata: KubeObject['metadata'] = {}): RenderedObject => ({
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop', ...metadata }, data },
  source: 'apps/settings.yaml',
});

const dataOf = (rendered: RenderedObject[]) => rendered[0]?.object.data as Record<string, string> | undefined;

test('variables, defaults and escapes follow Flux postBuild syntax', () => {
  const input = configMap({
    plain: 'https://${DOMAIN}/api',
    twice: '${DOMAIN}:${PORT}',
    assignDefault: '${REGION:=eu-west-1}',
    useDefault: '${ZONE:-a}',
    setOverDefault: '${DOMAIN:=fallback.example}',
    emptyTakesDefault: '${EMPTY:-was-empty}',
    emptyWithoutDefault: '[${EMPTY}]',
    escaped: 'literal $${DOMAIN} stays',
    emptyDefault: '${UNSET_OK:=}',
  });
  const output = substituteVariables([input], { DOMAIN: 'shop.example', PORT: '8443', EMPTY: '' });

  assert.deepEqual(dataOf(output), {
    plain: 'https://shop.example/api',
    twice: 'shop.example:8443',
    assignDefault: 'eu-west-1',
    useDefault: 'a',
    setOverDefault: 'shop.example',
    emptyTakesDefault: 'was-empty',
    emptyWithoutDefault: '[]',
    escaped: 'literal ${DOMAIN} stays',
    emptyDefault: '',
  });
});

test('an unset variable without a default fails naming the variable, file and object', () => {
  assert.throws(
    () => substituteVariables([configMap({ url: 'https://${DOMAIN}' })], {}),
    (error: unknown) =>
      error instanceof SyncError &&
      error.stage === 'substitute' &&
      error.file === 'apps/settings.yaml' &&
      error.object === 'ConfigMap shop/settings' &&
      /variable DOMAIN is not set/.test(error.message),
  );
});

test('shell syntax that is not a Flux variable reference is left as written', () => {
  const script = 'for x in "${items[@]}"; do echo ${#x} ${1} $HOME; done';
  assert.equal(dataOf(substituteVariables([configMap({ script })], {}))?.script, script);
});

test('values are substituted as text: they never become YAML structure or another type', () => {
  const output = substituteVariables([configMap({ injected: '${V}' })], { V: 'a: b\nc: [1]' });
  assert.equal(dataOf(output)?.injected, 'a: b\nc: [1]');
  const deployment: RenderedObject = {
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, paused: false, tags: ['${T}', 3] },
    },
    source: 'web.yaml',
  };
  assert.deepEqual(substituteVariables([deployment], { T: 'x' })[0]?.object.spec, { replicas: 2, paused: false, tags: ['x', 3] });
});

test('keys are not substituted, only values', () => {
  const output = substituteVariables([configMap({ '${KEY}': '${KEY}' })], { KEY: 'k' });
  assert.deepEqual(dataOf(output), { '${KEY}': 'k' });
});

test('objects that disable substitution by annotation or label are left untouched', () => {
  const fluxAnnotated = configMap({ a: '${UNSET}' }, { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } });
  const wrenLabelled = configMap({ a: '${UNSET}' }, { labels: { 'wren.dev/substitute': 'disabled' } });
  assert.deepEqual(substituteVariables([fluxAnnotated, wrenLabelled], {}), [fluxAnnotated, wrenLabelled]);
});

test('the input objects are not modified', () => {
  const input = configMap({ a: '${V}' });
  const before = structuredClone(input);
  substituteVariables([input], { V: 'new' });
  assert.deepEqual(input, before);
});
