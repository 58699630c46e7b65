import assert from 'node:assert/strict';
import { test } from 'node:test';
import { referencedConfigs, renameConfigRefs } from '../../../src/workload/config-refs.ts';
import type { PodSpec } from '../../../src/workload/workload-types.ts';

const podSpec: PodSpec = {
  volumes: [
    { name: 'config', configMap: { name: 'app-config' } },
    { name: 'tls', secret: { secretName: 'app-tls' } },
    { name: 'all', projected: { sources: [{ configMap: { name: 'feature-flags' } }, { secret: { name: 'api-keys' } }] } },
    { name: 'scratch', emptyDir: {} },
  ],
  initContainers: [{ name: 'migrate', envFrom: [{ secretRef: { name: 'db' } }] }],
  containers: [
    {
      name: 'app',
      env: [
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'mode' } } },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-keys', key: 'token' } } },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
      envFrom: [{ configMapRef: { name: 'env-defaults' } }],
    },
  ],
};

test('every ConfigMap and Secret a pod reads is found once, in a stable order', () => {
  assert.deepEqual(
    referencedConfigs(podSpec).map((ref) => `${ref.kind}/${ref.name}`),
    ['ConfigMap/app-config', 'ConfigMap/env-defaults', 'ConfigMap/feature-flags', 'Secret/api-keys', 'Secret/app-tls', 'Secret/db'],
  );
});

test('renaming points every reference at the copy, leaves others, and does not touch the original', () => {
  const renamed = renameConfigRefs(podSpec, (ref) => (ref.name === 'db' ? undefined : `${ref.name}-primary`));
  assert.equal(renamed.volumes?.[0]?.configMap?.name, 'app-config-primary');
  assert.equal(renamed.volumes?.[1]?.secret?.secretName, 'app-tls-primary');
  assert.equal(renamed.volumes?.[2]?.projected?.sources?.[1]?.secret?.name, 'api-keys-primary');
  assert.equal(renamed.containers?.[0]?.env?.[0]?.valueFrom?.configMapKeyRef?.name, 'app-config-primary');
  assert.equal(renamed.containers?.[0]?.envFrom?.[0]?.configMapRef?.name, 'env-defaults-primary');
  assert.equal(renamed.initContainers?.[0]?.envFrom?.[0]?.secretRef?.name, 'db', 'untracked configs keep their name');
  assert.equal(podSpec.volumes?.[0]?.configMap?.name, 'app-config', 'the input is not mutated');
});
