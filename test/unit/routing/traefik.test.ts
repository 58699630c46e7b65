// The traefik provider: the TraefikService written for each weight and while mirroring, read back,
// its owner, and the router around it against a fake cache (the service is deleted on deletion).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary, CanarySpecType } from '../../../src/api/canary.ts';
import type { Routes } from '../../../src/canary/engine-types.ts';
import { TRAEFIK_SERVICES } from '../../../src/routing/route-types.ts';
import { SingleObjectRouter } from '../../../src/routing/single-object-router.ts';
import { TRAEFIK_SERVICE_KIND } from '../../../src/routing/traefik-objects.ts';
import { buildTraefikService, traefikServiceRoutes } from '../../../src/routing/traefik-objects.ts';
import { fakeContext } from './fake-router-context.ts';

function canary(service: Partial<CanarySpecType['service']> = {}, analysis: Partial<CanarySpecType['analysis']> = {}): Canary {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test', uid: 'uid-9' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      provider: 'traefik',
      progressDeadlineSeconds: 60,
      service: { port: 80, targetPort: 9898, ...service },
      analysis: { interval: '30s', threshold: 5, stepWeight: 20, maxWeight: 60, ...analysis },
    },
    status: { phase: 'Progressing', lastAppliedSpec: 'rev-3' },
  };
}

const routes = (canaryWeight: number): Routes => ({ primaryWeight: 100 - canaryWeight, canaryWeight });
const mirroring: Routes = { primaryWeight: 100, canaryWeight: 0, mirror: true };

for (const weight of [40, 100]) {
  test(`canary weight ${weight}: a weighted TraefikService over primary and canary, read back the same`, () => {
    const service = buildTraefikService(canary(), routes(weight));
    assert.equal(service.apiVersion, 'traefik.io/v1alpha1');
    assert.equal(service.kind, 'TraefikService');
    assert.deepEqual(service.spec, {
      weighted: {
        services: [
          { name: 'podinfo-primary', port: 80, weight: 100 - weight },
          { name: 'podinfo-canary', port: 80, weight },
        ],
      },
    });
    assert.deepEqual(traefikServiceRoutes(canary(), service), routes(weight));
  });
}

test('canary weight 0: the canary (scaled to zero, no endpoints) is left out, so Traefik keeps the route; read back as weight 0', () => {
  const service = buildTraefikService(canary(), routes(0));
  assert.deepEqual(service.spec, { weighted: { services: [{ name: 'podinfo-primary', port: 80, weight: 100 }] } });
  assert.deepEqual(traefikServiceRoutes(canary(), service), routes(0));
});

test("a TraefikService that also sends traffic elsewhere is not read as Wren's routes", () => {
  const service = buildTraefikService(canary(), routes(40));
  const services = (service.spec?.weighted as { services: object[] }).services;
  services.push({ name: 'other', port: 80, weight: 10 });
  assert.equal(traefikServiceRoutes(canary(), service), undefined);
});

test("session affinity: the weighted service's sticky cookie, named and shaped by spec.analysis.sessionAffinity", () => {
  const cases: [string, Partial<CanarySpecType['analysis']>['sessionAffinity'], Record<string, unknown>][] = [
    ['defaults', { cookieName: 'canary' }, { name: 'canary', maxAge: 86_400, path: '/' }],
    [
      'every attribute Traefik knows',
      { cookieName: 'c', maxAge: 60, path: '/app', domain: 'example.com', httpOnly: true, secure: false, sameSite: 'Strict' },
      { name: 'c', maxAge: 60, path: '/app', domain: 'example.com', httpOnly: true, secure: false, sameSite: 'strict' },
    ],
  ];
  for (const [name, sessionAffinity, cookie] of cases) {
    const subject = canary({}, { sessionAffinity });
    const service = buildTraefikService(subject, routes(20));
    assert.deepEqual((service.spec?.weighted as { sticky?: unknown }).sticky, { cookie }, name);
    assert.deepEqual(traefikServiceRoutes(subject, service), routes(20), `${name}: read back the same weights`);
  }
});

test('mirroring: answers come from the primary, a share of its requests is copied to the canary', () => {
  const subject = canary({}, { mirror: true, mirrorWeight: 30, iterations: 5, stepWeight: undefined });
  const service = buildTraefikService(subject, mirroring);
  assert.deepEqual(service.spec, {
    mirroring: { name: 'podinfo-primary', port: 80, mirrors: [{ name: 'podinfo-canary', port: 80, percent: 30 }] },
  });
  assert.deepEqual(traefikServiceRoutes(subject, service), mirroring);
});

test('mirroring copies every request unless spec.analysis.mirrorWeight says otherwise', () => {
  const service = buildTraefikService(canary({}, { mirror: true }), mirroring);
  assert.equal((service.spec?.mirroring as { mirrors: { percent: number }[] }).mirrors[0]?.percent, 100);
});

test('the TraefikService is named after the apex Service and owned by the Canary', () => {
  const service = buildTraefikService(canary({ name: 'frontend' }), routes(40));
  assert.equal(service.metadata?.name, 'frontend');
  assert.equal(service.metadata?.namespace, 'test');
  assert.deepEqual(service.metadata?.ownerReferences, [
    { apiVersion: 'wren.dev/v1alpha1', kind: 'Canary', name: 'podinfo', uid: 'uid-9', controller: true, blockOwnerDeletion: true },
  ]);
  assert.equal(service.metadata?.labels?.['app.kubernetes.io/managed-by'], 'wren');
  assert.deepEqual(traefikServiceRoutes(canary({ name: 'frontend' }), service), routes(40));
});

test('a missing service, or one over other Services, has no routes', () => {
  assert.equal(traefikServiceRoutes(canary(), undefined), undefined);
  const base = buildTraefikService(canary(), routes(0));
  assert.equal(
    traefikServiceRoutes(canary(), { ...base, spec: { weighted: { services: [{ name: 'podinfo-v1', port: 80, weight: 100 }] } } }),
    undefined,
  );
  assert.equal(
    traefikServiceRoutes(canary(), {
      ...base,
      spec: { mirroring: { name: 'podinfo-v1', port: 80, mirrors: [{ name: 'podinfo-canary', port: 80 }] } },
    }),
    undefined,
  );
});

test('router: creates the service all-primary, keeps the current routes (mirroring too), deletes it on finalize', async () => {
  const { context, calls, cache, types } = fakeContext();
  const router = new SingleObjectRouter(context, TRAEFIK_SERVICE_KIND);
  const subject = canary({}, { mirror: true, mirrorWeight: 50 });
  assert.equal(router.weighted, true);
  assert.deepEqual(types, [TRAEFIK_SERVICES]);
  assert.equal(router.getRoutes(subject), undefined);
  await router.reconcile(subject);
  assert.deepEqual(router.getRoutes(subject), routes(0));
  await router.setRoutes(subject, mirroring);
  await router.reconcile(subject);
  assert.deepEqual(router.getRoutes(subject), mirroring, 'reconcile keeps mirroring');
  await router.setRoutes(subject, routes(100));
  assert.deepEqual(router.getRoutes(subject), routes(100));
  await router.finalize(subject);
  assert.deepEqual(calls, [
    'service primary',
    'ensure TraefikService podinfo',
    'service primary',
    'ensure TraefikService podinfo',
    'service primary',
    'ensure TraefikService podinfo',
    'service primary',
    'ensure TraefikService podinfo',
    'service canary unowned',
    'release podinfo',
  ]);
  assert.equal(cache.size, 0);
});
