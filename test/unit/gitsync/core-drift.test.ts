import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparableContent, driftedPaths } from '../../../src/gitsync/drift.ts';
import { canonicalJson } from '../../../src/kube/content-hash.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';

const deployment = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', ...metadata },
  spec,
});

const configMap = (data: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'shop', ...metadata },
  data,
});

const container = (fields: Record<string, unknown> = {}) => ({ name: 'app', image: 'web:1.0', ...fields });

const cases: { name: string; desired: KubeObject; live: KubeObject; drifted: string[] }[] = [
  {
    name: 'identical objects',
    desired: deployment({ replicas: 2 }),
    live: deployment({ replicas: 2 }),
    drifted: [],
  },
  {
    name: 'fields the API server and other controllers add are not drift',
    desired: deployment({ replicas: 2, template: { spec: { containers: [container()] } } }),
    live: {
      ...deployment(
        {
          replicas: 2,
          revisionHistoryLimit: 10,
          strategy: { type: 'RollingUpdate' },
          template: {
            spec: {
              containers: [container({ imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' })],
              dnsPolicy: 'ClusterFirst',
            },
          },
        },
        { labels: { 'added-by': 'webhook' }, annotations: { 'deployment.kubernetes.io/revision': '3' }, uid: 'u-1' },
      ),
      status: { replicas: 2 },
    },
    drifted: [],
  },
  {
    name: 'a changed replica count',
    desired: deployment({ replicas: 3 }),
    live: deployment({ replicas: 1 }),
    drifted: ['.spec.replicas'],
  },
  {
    name: 'a changed ConfigMap value',
    desired: configMap({ mode: 'strict', level: 'info' }),
    live: configMap({ mode: 'lenient', level: 'info' }),
    drifted: ['.data.mode'],
  },
  {
    name: 'a ConfigMap key deleted in the cluster',
    desired: configMap({ mode: 'strict' }),
    live: configMap({}),
    drifted: ['.data.mode'],
  },
  {
    name: 'a changed value deep in a list is reported with its index',
    desired: deployment({ template: { spec: { containers: [container({ image: 'web:2.0' })] } } }),
    live: deployment({ template: { spec: { containers: [container({ image: 'web:1.0' })] } } }),
    drifted: ['.spec.template.spec.containers[0].image'],
  },
  {
    name: 'a list that gained an item',
    desired: deployment({ template: { spec: { containers: [container()] } } }),
    live: deployment({ template: { spec: { containers: [container(), { name: 'sidecar', image: 'proxy:1' }] } } }),
    drifted: ['.spec.template.spec.containers'],
  },
  {
    name: 'a list that lost an item',
    desired: deployment({ template: { spec: { containers: [container(), { name: 'sidecar', image: 'proxy:1' }] } } }),
    live: deployment({ template: { spec: { containers: [container()] } } }),
    drifted: ['.spec.template.spec.containers'],
  },
  {
    name: 'int-or-string: 8080 in Git, "8080" live',
    desired: deployment({ template: { spec: { containers: [container({ ports: [{ containerPort: 8080 }] })] } } }),
    live: deployment({ template: { spec: { containers: [container({ ports: [{ containerPort: '8080' }] })] } } }),
    drifted: [],
  },
  {
    name: 'int-or-string: "8080" in Git, 8080 live',
    desired: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: '8080' }] } },
    live: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
    },
    drifted: [],
  },
  {
    name: 'int-or-string with a different number is drift',
    desired: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } },
    live: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: '9090' }] } },
    drifted: ['.spec.ports[0].targetPort'],
  },
  {
    name: 'a boolean is not equal to its string',
    desired: deployment({ paused: true }),
    live: deployment({ paused: 'true' }),
    drifted: ['.spec.paused'],
  },
  {
    name: 'empty map, null and empty list in Git match whatever is live',
    desired: deployment({ selector: {}, strategy: null, template: { spec: { volumes: [], containers: [container()] } } }),
    live: deployment({
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'Recreate' },
      template: { spec: { volumes: [{ name: 'v' }], containers: [container()] } },
    }),
    drifted: [],
  },
  {
    name: 'empty values in Git match fields missing live',
    desired: deployment({ selector: {}, strategy: null, template: { spec: { volumes: [], containers: [container()] } } }),
    live: deployment({ template: { spec: { containers: [container()] } } }),
    drifted: [],
  },
  {
    name: 'a map in Git where the live object has a scalar',
    desired: deployment({ strategy: { type: 'Recreate' } }),
    live: deployment({ strategy: 'Recreate' }),
    drifted: ['.spec.strategy'],
  },
  {
    name: 'a whole section missing live',
    desired: deployment({ template: { spec: { containers: [container()] } } }),
    live: deployment({}),
    drifted: ['.spec.template'],
  },
  {
    name: 'server-owned metadata in Git is ignored',
    desired: deployment(
      { replicas: 2 },
      { creationTimestamp: null, resourceVersion: '1', generation: 1, uid: 'old', selfLink: '/x', managedFields: [{ manager: 'kubectl' }] },
    ),
    live: deployment(
      { replicas: 2 },
      {
        creationTimestamp: '2024-01-01T00:00:00Z',
        resourceVersion: '999',
        generation: 7,
        uid: 'new',
        managedFields: [{ manager: 'wren' }],
      },
    ),
    drifted: [],
  },
  {
    name: 'a label removed in the cluster',
    desired: deployment({ replicas: 2 }, { labels: { app: 'web', team: 'shop' } }),
    live: deployment({ replicas: 2 }, { labels: { app: 'web' } }),
    drifted: ['.metadata.labels.team'],
  },
  {
    name: 'an annotation changed in the cluster',
    desired: deployment({ replicas: 2 }, { annotations: { owner: 'alice' } }),
    live: deployment({ replicas: 2 }, { annotations: { owner: 'bob', extra: 'x' } }),
    drifted: ['.metadata.annotations.owner'],
  },
  {
    name: 'status in Git is ignored',
    desired: { ...deployment({ replicas: 2 }), status: { replicas: 5 } },
    live: { ...deployment({ replicas: 2 }), status: { replicas: 2 } },
    drifted: [],
  },
  {
    name: 'several differences are all reported, in Git order',
    desired: configMap({ a: '1', b: '2', c: '3' }, { labels: { x: 'y' } }),
    live: configMap({ a: '1', b: 'two', c: 'three' }, { labels: { x: 'z' } }),
    drifted: ['.metadata.labels.x', '.data.b', '.data.c'],
  },
];

for (const { name, desired, live, drifted } of cases) {
  test(`driftedPaths: ${name}`, () => {
    assert.deepEqual(driftedPaths(desired, live), drifted);
  });
}

test('driftedPaths reports at most the given number of paths', () => {
  const data = Object.fromEntries(Array.from({ length: 8 }, (_, index) => [`key${index}`, 'git']));
  const changed = Object.fromEntries(Array.from({ length: 8 }, (_, index) => [`key${index}`, 'cluster']));
  assert.deepEqual(driftedPaths(configMap(data), configMap(changed)), [
    '.data.key0',
    '.data.key1',
    '.data.key2',
    '.data.key3',
    '.data.key4',
  ]);
  assert.deepEqual(driftedPaths(configMap(data), configMap(changed), 2), ['.data.key0', '.data.key1']);
});

test('driftedPaths does not change its inputs', () => {
  const desired = deployment({ replicas: 3, template: { spec: { containers: [container()] } } });
  const live = deployment({ replicas: 1 });
  const before = structuredClone({ desired, live });
  driftedPaths(desired, live);
  assert.deepEqual({ desired, live }, before);
});

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

test('comparableContent: a dry-run result equals the cached object it only adds server bookkeeping to', () => {
  const cached: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'shop', annotations: { owner: 'alice' } },
    data: { mode: 'strict' },
  };
  const dryRun: KubeObject = {
    ...cached,
    metadata: {
      ...cached.metadata,
      uid: 'u-1',
      resourceVersion: '42',
      generation: 3,
      creationTimestamp: '2024-01-01T00:00:00Z',
      annotations: { owner: 'alice', [LAST_APPLIED]: '{"kind":"ConfigMap"}' },
      managedFields: [{ manager: 'wren', operation: 'Apply' }],
    } as KubeObject['metadata'],
    status: { anything: true },
  };
  assert.equal(canonicalJson(comparableContent(dryRun)), canonicalJson(comparableContent(cached)));
  assert.deepEqual(comparableContent(dryRun), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'shop', annotations: { owner: 'alice' } },
    data: { mode: 'strict' },
  });
});

test('comparableContent: an object whose only annotation is the last-applied copy compares equal to one without annotations', () => {
  const withCopy: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', annotations: { [LAST_APPLIED]: '{}' } },
    data: { a: '1' },
  };
  const without: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
  assert.equal(canonicalJson(comparableContent(withCopy)), canonicalJson(comparableContent(without)));
  assert.equal(JSON.stringify(comparableContent(withCopy)).includes(LAST_APPLIED), false);
});

test('comparableContent: a real difference in content or in user metadata still shows', () => {
  const base: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { app: 'web' } }, data: { a: '1' } };
  const otherData = { ...base, data: { a: '2' } };
  const otherLabel = { ...base, metadata: { ...base.metadata, labels: { app: 'api' } } };
  assert.notEqual(canonicalJson(comparableContent(otherData)), canonicalJson(comparableContent(base)));
  assert.notEqual(canonicalJson(comparableContent(otherLabel)), canonicalJson(comparableContent(base)));
});

test('comparableContent does not change its input', () => {
  const object: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', resourceVersion: '1', annotations: { [LAST_APPLIED]: '{}', keep: 'me' } },
    data: { a: '1' },
    status: { x: 1 },
  };
  const before = structuredClone(object);
  comparableContent(object);
  assert.deepEqual(object, before);
});
