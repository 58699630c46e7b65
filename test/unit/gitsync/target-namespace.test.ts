import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTargetNamespace } from '../../../src/gitsync/render/target-namespace.ts';
import type { RenderedObject } from '../../../src/gitsync/rendered-object.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';

const rendered = (apiVersion: string, kind: string, name: string, namespace?: string): RenderedObject => ({
  object: { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } },
  source: 'all.yaml',
});

const namespaces = (objects: RenderedObject[]) =>
  objects.map(({ object }) => `${object.kind}/${object.metadata?.name}=${object.metadata?.namespace ?? '-'}`);

test('namespaced objects without a namespace get the target; their own namespace and cluster-scoped objects are kept', () => {
  const input = [
    rendered('apps/v1', 'Deployment', 'web'),
    rendered('v1', 'ConfigMap', 'pinned', 'elsewhere'),
    rendered('v1', 'Namespace', 'shop'),
    rendered('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader'),
    rendered('rbac.authorization.k8s.io/v1', 'Role', 'writer'),
    rendered('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com'),
    rendered('storage.k8s.io/v1', 'StorageClass', 'fast'),
    rendered('example.com/v1', 'Node', 'not-the-core-node'),
  ];
  assert.deepEqual(namespaces(applyTargetNamespace(input, 'shop')), [
    'Deployment/web=shop',
    'ConfigMap/pinned=elsewhere',
    'Namespace/shop=-',
    'ClusterRole/reader=-',
    'Role/writer=shop',
    'CustomResourceDefinition/widgets.example.com=-',
    'StorageClass/fast=-',
    'Node/not-the-core-node=shop',
  ]);
  assert.equal(input[0]?.object.metadata?.namespace, undefined, 'input untouched');
});

test('a custom resource follows the scope of its CRD in the same revision', () => {
  const crd = (kind: string, scope: string): RenderedObject => ({
    object: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${kind.toLowerCase()}s.example.com` },
      spec: { group: 'example.com', names: { kind }, scope },
    } as KubeObject,
    source: 'crds.yaml',
  });
  const output = applyTargetNamespace(
    [
      crd('Tenant', 'Cluster'),
      crd('Widget', 'Namespaced'),
      rendered('example.com/v1', 'Tenant', 'acme'),
      rendered('example.com/v1', 'Widget', 'w'),
    ],
    'shop',
  );
  assert.deepEqual(namespaces(output).slice(2), ['Tenant/acme=-', 'Widget/w=shop']);
});

test('what discovery says wins over the built-in list', () => {
  const fromDiscovery = (_apiVersion: string, kind: string) => (kind === 'Gadget' ? false : undefined);
  const output = applyTargetNamespace([rendered('example.com/v1', 'Gadget', 'g'), rendered('v1', 'Service', 's')], 'shop', fromDiscovery);
  assert.deepEqual(namespaces(output), ['Gadget/g=-', 'Service/s=shop']);
});

test('no target namespace changes nothing', () => {
  const input = [rendered('v1', 'Service', 's')];
  assert.deepEqual(applyTargetNamespace(input, ''), input);
});
