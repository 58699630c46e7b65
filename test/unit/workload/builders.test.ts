import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CanarySpecType } from '../../../src/api/canary.ts';
import { buildPrimaryAutoscaler } from '../../../src/workload/autoscaler.ts';
import { buildConfigCopy, configChecksum, dataChecksumOnly } from '../../../src/workload/config-copies.ts';
import { primarySelector } from '../../../src/workload/naming.ts';
import { buildPrimaryDeployment } from '../../../src/workload/primary-deployment.ts';
import { buildServices, servicePorts } from '../../../src/workload/services.ts';
import { targetRevision } from '../../../src/workload/revision.ts';
import type { Deployment } from '../../../src/workload/workload-types.ts';

const canary = (spec: Partial<CanarySpecType> = {}) => ({
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'Canary',
  metadata: { name: 'web', namespace: 'shop', uid: 'uid-1' },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment' as const, name: 'web' },
    service: { port: 80, targetPort: 'http' },
    analysis: { interval: '1m', threshold: 5, iterations: 5 },
    ...spec,
  },
});

const target: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    labels: { team: 'checkout' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', owner: 'team' },
  },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web', tier: 'front' } },
    template: {
      metadata: { labels: { app: 'web', tier: 'front', version: 'v2' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'web:2',
            ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }, { containerPort: 7000 }],
          },
        ],
        volumes: [{ name: 'c', configMap: { name: 'web-config' } }],
      },
    },
  },
};

test('the primary selects its own pods: the app label gets -primary, other labels stay', () => {
  assert.deepEqual(primarySelector({ app: 'web', tier: 'front' }), { app: 'web-primary', tier: 'front' });
  assert.deepEqual(primarySelector({ 'app.kubernetes.io/name': 'web' }), { 'app.kubernetes.io/name': 'web-primary' });
  assert.equal(primarySelector({ tier: 'front' }), undefined);
});

test('the primary Deployment copies the template, renames configs, records its revision and is owned by the Canary', () => {
  const primary = buildPrimaryDeployment(canary({ progressDeadlineSeconds: 120 }), {
    target,
    template: target.spec?.template ?? {},
    revision: 'rev-9',
    replicas: 3,
    progressDeadlineSeconds: 120,
    configCopies: new Map([['ConfigMap/web-config', 'web-config-primary']]),
  });
  assert.equal(primary.metadata?.name, 'web-primary');
  assert.deepEqual(primary.spec?.selector?.matchLabels, { app: 'web-primary', tier: 'front' });
  assert.deepEqual(primary.spec?.template?.metadata?.labels, { app: 'web-primary', tier: 'front', version: 'v2' });
  assert.equal(primary.spec?.template?.spec?.volumes?.[0]?.configMap?.name, 'web-config-primary');
  assert.equal(primary.metadata?.annotations?.['wren.dev/revision'], 'rev-9');
  assert.equal(primary.metadata?.annotations?.owner, 'team');
  assert.equal(primary.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], undefined);
  assert.deepEqual(primary.metadata?.ownerReferences, [
    { apiVersion: 'wren.dev/v1alpha1', kind: 'Canary', name: 'web', uid: 'uid-1', controller: true, blockOwnerDeletion: true },
  ]);
  assert.equal(primary.spec?.replicas, 3);
  assert.equal(primary.spec?.progressDeadlineSeconds, 120);
});

test('with an autoscaler the primary leaves replicas to it', () => {
  const primary = buildPrimaryDeployment(canary(), {
    target,
    template: target.spec?.template ?? {},
    revision: 'r',
    replicas: undefined,
    progressDeadlineSeconds: 600,
    configCopies: new Map(),
  });
  assert.equal('replicas' in (primary.spec ?? {}), false);
});

test('Services: apex, primary and canary with the right selectors; port discovery adds named ports', () => {
  const spec = canary({
    service: { port: 80, targetPort: 'http', portDiscovery: true, headless: true, canary: { labels: { probe: 'on' } } },
  });
  assert.deepEqual(
    servicePorts(spec.spec, target.spec?.template).map((port) => `${port.name}:${port.port}->${port.targetPort}`),
    ['http:80->http', 'metrics:9090->9090'],
  );
  const services = buildServices(
    spec,
    { apex: { app: 'web-primary' }, primary: { app: 'web-primary' }, canary: { app: 'web' } },
    target.spec?.template,
  );
  assert.deepEqual(
    services.map((service) => service.metadata?.name),
    ['web', 'web-primary', 'web-canary'],
  );
  assert.equal(services[0]?.spec?.clusterIP, undefined, 'the apex Service is never headless');
  assert.equal(services[2]?.spec?.clusterIP, 'None');
  assert.equal(services[2]?.metadata?.labels?.probe, 'on');
});

test('the primary HPA targets the primary and applies replica overrides', () => {
  const hpa = buildPrimaryAutoscaler(
    canary({
      autoscalerRef: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        name: 'web',
        primaryScalerReplicas: { minReplicas: 4 },
      },
    }),
    { metadata: { name: 'web' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10 } },
  );
  assert.equal(hpa.metadata?.name, 'web-primary');
  assert.deepEqual(hpa.spec?.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-primary' });
  assert.equal(hpa.spec?.minReplicas, 4);
  assert.equal(hpa.spec?.maxReplicas, 10);
});

test('config copies keep the data; the cache keeps only a checksum of it', () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'shop' },
    type: 'Opaque',
    data: { password: 'c2VjcmV0' },
  };
  const copy = buildConfigCopy(canary(), 'Secret', secret);
  assert.equal(copy.metadata?.name, 'db-primary');
  assert.deepEqual(copy.data, { password: 'c2VjcmV0' });
  const cached = dataChecksumOnly(secret);
  assert.equal(cached.data, undefined);
  assert.equal(JSON.stringify(cached).includes('c2VjcmV0'), false, 'no secret value in the cache');
  assert.equal(configChecksum(cached), configChecksum(secret));
  assert.notEqual(configChecksum({ ...secret, data: { password: 'b3RoZXI=' } }), configChecksum(secret));
});

test('a revision changes with the template or with a tracked config, and only then', () => {
  const template = target.spec?.template;
  const base = targetRevision(template, { 'configmap/web-config': 'a' });
  assert.equal(targetRevision(structuredClone(template), { 'configmap/web-config': 'a' }), base);
  assert.notEqual(targetRevision(template, { 'configmap/web-config': 'b' }), base);
  const changed = structuredClone(template);
  if (changed?.spec?.containers?.[0]) changed.spec.containers[0].image = 'web:3';
  assert.notEqual(targetRevision(changed, { 'configmap/web-config': 'a' }), base);
});
