// The CRDs as users meet them: installed, enforced by the API server, and valid Flagger-style
// Canaries accepted unchanged but for apiVersion.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { KubeApiError } from '../../src/kube/api-error.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CANARIES } from '../../src/kube/resource-types.ts';
import { freshNamespace, useCluster } from '../helpers/cluster.ts';

const validCanary = (name: string, analysis: Record<string, unknown> = {}) => ({
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'Canary',
  metadata: { name },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' },
    service: { port: 80 },
    analysis: { interval: '1m', threshold: 5, stepWeight: 10, ...analysis },
  },
});

async function rejection(create: Promise<unknown>): Promise<KubeApiError> {
  const error = await create.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof KubeApiError, `expected the API server to reject the object, got ${String(error)}`);
  return error;
}

test('Wren CRDs are served with short names and categories', async () => {
  const cluster = await useCluster();
  const resources = await cluster.kubectl(['api-resources', '--api-group=wren.dev', '-o', 'wide']);
  for (const [plural, shortName] of [
    ['canaries', 'cn'],
    ['metrictemplates', 'mt'],
    ['gitsyncs', 'gs'],
    ['alertproviders', 'ap'],
  ]) {
    assert.match(resources, new RegExp(`^${plural}\\s+${shortName}\\s+wren.dev/v1alpha1\\s+true`, 'm'));
  }
});

test('the API server rejects a schema-invalid Canary and names the field', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const tooHeavy = { ...validCanary('too-heavy', { maxWeight: 150 }), metadata: { name: 'too-heavy', namespace } };
  const error = await rejection(cluster.client.create(CANARIES, tooHeavy as KubeObject));
  assert.equal(error.statusCode, 422);
  assert.match(error.message, /spec\.analysis\.maxWeight/);

  const noPort = validCanary('no-port') as { spec: { service: Record<string, unknown> } } & KubeObject;
  noPort.metadata = { name: 'no-port', namespace };
  noPort.spec.service = {};
  const missing = await rejection(cluster.client.create(CANARIES, noPort));
  assert.match(missing.message, /spec\.service\.port/);

  const badKind = validCanary('bad-kind') as { spec: { targetRef: Record<string, unknown> } } & KubeObject;
  badKind.metadata = { name: 'bad-kind', namespace };
  badKind.spec.targetRef.kind = 'StatefulSet';
  const unsupported = await rejection(cluster.client.create(CANARIES, badKind));
  assert.match(unsupported.message, /spec\.targetRef\.kind/);
});

test('Flagger-style Canaries are accepted with only apiVersion changed', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const text = readFileSync(new URL('../fixtures/flagger-style-canaries.yaml', import.meta.url), 'utf8');
  const canaries = parseAllDocuments(text).map((document) => document.toJS() as KubeObject);
  assert.ok(canaries.length >= 5);
  for (const canary of canaries) {
    canary.metadata = { ...canary.metadata, namespace };
    const created = await cluster.client.create(CANARIES, canary);
    assert.equal(created.metadata?.name, canary.metadata.name);
    // Nothing the user wrote is pruned away by the schema.
    assert.deepEqual((created as { spec: unknown }).spec, (canary as { spec: unknown }).spec);
  }
  const listing = await cluster.kubectl(['get', 'cn', '-n', namespace]);
  assert.match(listing, /^NAME\s+STATUS\s+WEIGHT\s+FAILEDCHECKS\s+LASTTRANSITIONTIME/m);
});

test('the control plane serves aggregated discovery, including the Wren group', async () => {
  const cluster = await useCluster();
  const discovery = await cluster.client.request<{
    kind: string;
    items: { metadata: { name: string }; versions: { version: string; resources: { resource: string }[] }[] }[];
  }>({
    method: 'GET',
    path: '/apis',
    headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' },
  });
  assert.equal(discovery.kind, 'APIGroupDiscoveryList');
  const wren = discovery.items.find((group) => group.metadata.name === 'wren.dev');
  const resources = wren?.versions
    .find((version) => version.version === 'v1alpha1')
    ?.resources.map((resource) => resource.resource)
    .sort();
  assert.deepEqual(resources, ['alertproviders', 'canaries', 'gitsyncs', 'imagepolicies', 'metrictemplates']);
});
