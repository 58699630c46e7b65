// The nginx provider's canary Ingress: built from the user's Ingress and the engine's routes, and
// read back into the same routes; and the router around it, against a fake Ingress cache.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary } from '../../../src/api/canary.ts';
import { NginxRouter } from '../../../src/routing/nginx.ts';
import { AB_WEIGHT_ANNOTATION, buildCanaryIngress, canaryIngressName, canaryIngressRoutes } from '../../../src/routing/nginx-objects.ts';
import type { RouterContext } from '../../../src/routing/router-context.ts';
import type { RouteObject } from '../../../src/routing/route-objects.ts';
import type { Routes } from '../../../src/routing/router.ts';

type Analysis = Canary['spec']['analysis'];

const canary = (analysis: Partial<Analysis> = {}): Canary => ({
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'Canary',
  metadata: { name: 'web', namespace: 'shop', uid: 'uid-1' },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    ingressRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web' },
    service: { port: 80 },
    analysis: { interval: '1m', threshold: 5, iterations: 5, ...analysis },
  },
});

const userIngress = (): RouteObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'ingress-uid',
    resourceVersion: '42',
    labels: { team: 'checkout' },
    annotations: { 'kubernetes.io/ingress.class': 'nginx', 'nginx.ingress.kubernetes.io/rewrite-target': '/' },
  },
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
    rules: [
      {
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            { path: '/api', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } },
            { path: '/static', pathType: 'Prefix', backend: { service: { name: 'cdn', port: { number: 8080 } } } },
          ],
        },
      },
    ],
  },
  status: { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } },
});

const prefix = 'nginx.ingress.kubernetes.io';
const routes = (canaryWeight: number): Routes => ({ primaryWeight: 100 - canaryWeight, canaryWeight });
const annotationsOf = (ingress: RouteObject) => ingress.metadata?.annotations ?? {};
const canaryAnnotations = (ingress: RouteObject, p = prefix) =>
  Object.fromEntries(Object.entries(annotationsOf(ingress)).filter(([key]) => key.startsWith(`${p}/`) || key.startsWith('wren.dev/')));

test('the canary Ingress is named after the user Ingress', () => {
  assert.equal(canaryIngressName(canary()), 'web-canary');
  const noRef = canary();
  delete noRef.spec.ingressRef;
  assert.throws(() => canaryIngressName(noRef), /spec\.ingressRef/);
});

for (const weight of [0, 25, 100]) {
  test(`weighted: canary-weight ${weight}`, () => {
    const built = buildCanaryIngress(canary({ iterations: undefined, stepWeight: 25 }), userIngress(), routes(weight), prefix);
    assert.deepEqual(canaryAnnotations(built), { [`${prefix}/canary`]: 'true', [`${prefix}/canary-weight`]: String(weight) });
    assert.deepEqual(canaryIngressRoutes(canary(), built, prefix), routes(weight));
  });
}

test('backends of the app go to <svc>-canary with their ports; tls, class and other backends are kept', () => {
  const built = buildCanaryIngress(canary(), userIngress(), routes(25), prefix);
  assert.deepEqual(built.spec, {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
    rules: [
      {
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web-canary', port: { number: 80 } } } },
            { path: '/api', pathType: 'Prefix', backend: { service: { name: 'web-canary', port: { name: 'http' } } } },
            { path: '/static', pathType: 'Prefix', backend: { service: { name: 'cdn', port: { number: 8080 } } } },
          ],
        },
      },
    ],
  });
  assert.equal(built.status, undefined);
});

test('a default backend of the apex Service (named apart from the target) goes to the canary too', () => {
  const c = canary();
  c.spec.service.name = 'web-svc';
  const user = userIngress();
  user.spec = { defaultBackend: { service: { name: 'web-svc', port: { number: 80 } } } };
  const built = buildCanaryIngress(c, user, routes(10), prefix);
  assert.deepEqual(built.spec, { defaultBackend: { service: { name: 'web-svc-canary', port: { number: 80 } } } });
});

test('the canary Ingress is owned by the Canary and keeps none of the user metadata but the class', () => {
  const built = buildCanaryIngress(canary(), userIngress(), routes(0), prefix);
  const metadata = built.metadata ?? {};
  assert.equal(metadata.name, 'web-canary');
  assert.equal(metadata.namespace, 'shop');
  assert.deepEqual(metadata.ownerReferences, [
    { apiVersion: 'wren.dev/v1alpha1', kind: 'Canary', name: 'web', uid: 'uid-1', controller: true, blockOwnerDeletion: true },
  ]);
  assert.deepEqual(metadata.labels, { 'app.kubernetes.io/managed-by': 'wren' });
  assert.equal(metadata.uid, undefined);
  assert.equal(metadata.resourceVersion, undefined);
  assert.equal(annotationsOf(built)['kubernetes.io/ingress.class'], 'nginx');
  assert.equal(annotationsOf(built)[`${prefix}/rewrite-target`], undefined);
});

const abCases: { name: string; match: NonNullable<Analysis['match']>; annotations: Record<string, string> }[] = [
  {
    name: 'header exact',
    match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
    annotations: { [`${prefix}/canary-by-header`]: 'x-canary', [`${prefix}/canary-by-header-value`]: 'insider' },
  },
  {
    name: 'header regex',
    match: [{ headers: { 'user-agent': { regex: '.*Firefox.*' } } }],
    annotations: { [`${prefix}/canary-by-header`]: 'user-agent', [`${prefix}/canary-by-header-pattern`]: '.*Firefox.*' },
  },
  {
    name: 'header prefix',
    match: [{ headers: { 'x-user': { prefix: 'beta.' } } }],
    annotations: { [`${prefix}/canary-by-header`]: 'x-user', [`${prefix}/canary-by-header-pattern`]: '^beta\\..*' },
  },
  {
    name: 'cookie',
    match: [{ headers: { cookie: { exact: 'canary' } } }],
    annotations: { [`${prefix}/canary-by-cookie`]: 'canary' },
  },
  {
    name: 'only the first match counts',
    match: [{ headers: { 'x-canary': { exact: 'a' } } }, { headers: { 'x-other': { exact: 'b' } } }],
    annotations: { [`${prefix}/canary-by-header`]: 'x-canary', [`${prefix}/canary-by-header-value`]: 'a' },
  },
];

for (const { name, match, annotations } of abCases) {
  for (const weight of [0, 100]) {
    test(`A/B ${name} at weight ${weight}`, () => {
      const c = canary({ match });
      const built = buildCanaryIngress(c, userIngress(), routes(weight), prefix);
      const byRequest = weight > 0 ? { ...annotations, [AB_WEIGHT_ANNOTATION]: String(weight) } : {};
      assert.deepEqual(canaryAnnotations(built), { [`${prefix}/canary`]: 'true', [`${prefix}/canary-weight`]: '0', ...byRequest });
      assert.deepEqual(canaryIngressRoutes(c, built, prefix), routes(weight));
    });
  }
}

test('A/B: a weight between 0 and 100 round-trips too', () => {
  const c = canary({ match: abCases[0]!.match });
  const built = buildCanaryIngress(c, userIngress(), routes(40), prefix);
  assert.equal(annotationsOf(built)[`${prefix}/canary-weight`], '0');
  assert.deepEqual(canaryIngressRoutes(c, built, prefix), routes(40));
});

test('A/B without a header match cannot be expressed', () => {
  assert.throws(
    () => buildCanaryIngress(canary({ match: [{ queryParams: { beta: { exact: '1' } } }] }), userIngress(), routes(100), prefix),
    /header/,
  );
});

test('a custom annotation prefix', () => {
  const custom = 'ingress.example.com';
  const c = canary({ match: abCases[0]!.match });
  for (const [analysis, weight] of [
    [canary(), 30],
    [c, 100],
    [c, 0],
  ] as const) {
    const built = buildCanaryIngress(analysis, userIngress(), routes(weight), custom);
    assert.equal(annotationsOf(built)[`${custom}/canary`], 'true');
    assert.equal(
      Object.keys(annotationsOf(built)).some((key) => key.startsWith(`${prefix}/`)),
      false,
    );
    assert.deepEqual(canaryIngressRoutes(analysis, built, custom), routes(weight));
    assert.equal(canaryIngressRoutes(analysis, built, prefix), undefined);
  }
  const built = buildCanaryIngress(c, userIngress(), routes(100), custom);
  assert.equal(annotationsOf(built)[`${custom}/canary-by-header`], 'x-canary');
});

test('reading: no Ingress or no canary annotation gives no routes', () => {
  assert.equal(canaryIngressRoutes(canary(), undefined, prefix), undefined);
  assert.equal(canaryIngressRoutes(canary(), userIngress(), prefix), undefined);
});

test('the user Ingress passed in is not mutated', () => {
  const user = userIngress();
  const before = structuredClone(user);
  const built = buildCanaryIngress(canary({ match: abCases[0]!.match }), user, routes(100), prefix);
  assert.deepEqual(user, before);
  // Nor shared: changing the canary Ingress leaves the user's alone.
  (built.spec as { rules: { host: string }[] }).rules[0]!.host = 'changed';
  (built.spec as { tls: { secretName: string }[] }).tls[0]!.secretName = 'changed';
  assert.deepEqual(user, before);
});

/** A router context whose Ingress cache is a map, recording what the router writes. */
function fakeContext(ingresses: RouteObject[]) {
  const cache = new Map(ingresses.map((ingress) => [`${ingress.metadata?.namespace}/${ingress.metadata?.name}`, ingress]));
  const calls: string[] = [];
  const objects = {
    synced: async () => {},
    get: (namespace: string | undefined, name: string) => cache.get(`${namespace}/${name}`),
    ensure: async (desired: RouteObject) => {
      calls.push(`ensure ${desired.metadata?.name}`);
      cache.set(`${desired.metadata?.namespace}/${desired.metadata?.name}`, desired);
    },
    release: async (namespace: string | undefined, name: string, fallback?: RouteObject) => {
      calls.push(`release ${name}${fallback ? ' with fallback' : ''}`);
      cache.delete(`${namespace}/${name}`);
    },
  };
  const services = {
    ensure: async (_canary: Canary, side: string, options?: { owned: boolean }) =>
      void calls.push(`service ${side}${options?.owned === false ? ' unowned' : ''}`),
  };
  return { context: { services, objects: () => objects } as unknown as RouterContext, calls, cache };
}

test('router: writes the canary Ingress, reads it back, deletes it on finalize', async () => {
  const { context, calls, cache } = fakeContext([userIngress()]);
  const router = new NginxRouter(context);
  assert.equal(router.weighted, true);
  assert.equal(router.getRoutes(canary()), undefined);
  await router.reconcile(canary());
  assert.deepEqual(router.getRoutes(canary()), routes(0));
  await router.setRoutes(canary(), routes(25));
  assert.deepEqual(router.getRoutes(canary()), routes(25));
  await router.finalize(canary());
  assert.deepEqual(calls, [
    'service primary',
    'ensure web-canary',
    'service primary',
    'ensure web-canary',
    'service canary unowned',
    'release web-canary',
  ]);
  assert.deepEqual(cache.get('shop/web'), userIngress());
});

test('router: a custom annotation prefix', async () => {
  const { context, cache } = fakeContext([userIngress()]);
  await new NginxRouter(context, { annotationPrefix: 'custom.io' }).setRoutes(canary(), routes(10));
  assert.equal(cache.get('shop/web-canary')?.metadata?.annotations?.['custom.io/canary-weight'], '10');
});

test('router: a missing Ingress or spec.ingressRef is an error naming spec.ingressRef', async () => {
  const { context } = fakeContext([]);
  const router = new NginxRouter(context);
  await assert.rejects(router.setRoutes(canary(), routes(0)), /Ingress shop\/web .*spec\.ingressRef/);
  const noRef = canary();
  delete noRef.spec.ingressRef;
  await assert.rejects(router.setRoutes(noRef, routes(0)), /spec\.ingressRef/);
  assert.throws(() => router.getRoutes(noRef), /spec\.ingressRef/);
});
