// The contour provider: the HTTPProxy written for each weight and read back, the conditions, timeout
// and retries taken from spec.service, A/B routing by header and query parameter, its owner, the
// proxy handed back on deletion, and the router around it against a fake cache.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary, CanarySpecType } from '../../../src/api/canary.ts';
import type { Routes } from '../../../src/canary/engine-types.ts';
import { buildHttpProxy, httpProxyRoutes, releasedHttpProxy } from '../../../src/routing/contour-objects.ts';
import { SingleObjectRouter } from '../../../src/routing/single-object-router.ts';
import { HTTP_PROXY_KIND } from '../../../src/routing/contour-objects.ts';
import { HTTP_PROXIES } from '../../../src/routing/route-types.ts';
import { fakeContext } from './fake-router-context.ts';

function canary(service: Partial<CanarySpecType['service']> = {}, analysis: Partial<CanarySpecType['analysis']> = {}): Canary {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test', uid: 'uid-9' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      provider: 'contour',
      progressDeadlineSeconds: 60,
      service: { port: 9898, ...service },
      analysis: { interval: '30s', threshold: 5, stepWeight: 20, maxWeight: 60, ...analysis },
    },
    status: { phase: 'Progressing', lastAppliedSpec: 'rev-3' },
  };
}

type ProxyRoute = {
  conditions: Record<string, any>[];
  services: { name: string; port: number; weight: number }[];
  [field: string]: unknown;
};
type ProxySpec = { virtualhost?: { fqdn: string }; routes: ProxyRoute[] };

const routes = (canaryWeight: number): Routes => ({ primaryWeight: 100 - canaryWeight, canaryWeight });
const specOf = (subject: Canary, wanted: Routes) => buildHttpProxy(subject, wanted).spec as ProxySpec;
const weights = (route: ProxyRoute | undefined) => route?.services.map((service) => [service.name, service.weight]);
const abMatch: NonNullable<CanarySpecType['analysis']['match']> = [
  { headers: { 'x-canary': { exact: 'insider' } } },
  { headers: { 'user-agent': { prefix: 'Mozilla' } }, queryParams: { beta: { suffix: 'on' } } },
];

for (const weight of [0, 40, 100]) {
  test(`canary weight ${weight}: one route splits / between primary and canary and reads back the same`, () => {
    const proxy = buildHttpProxy(canary(), routes(weight));
    assert.equal(proxy.apiVersion, 'projectcontour.io/v1');
    assert.equal(proxy.kind, 'HTTPProxy');
    assert.deepEqual(proxy.spec, {
      routes: [
        {
          conditions: [{ prefix: '/' }],
          services: [
            { name: 'podinfo-primary', port: 9898, weight: 100 - weight },
            { name: 'podinfo-canary', port: 9898, weight },
          ],
        },
      ],
    });
    assert.deepEqual(httpProxyRoutes(canary(), proxy), routes(weight));
  });
}

test('hosts, path match, timeout and retries of spec.service shape the route', () => {
  const subject = canary({
    hosts: ['app.example.com', 'www.example.com'],
    match: [{ uri: { prefix: '/api' } }],
    timeout: '15s',
    retries: { attempts: 3, perTryTimeout: '5s', retryOn: 'gateway-error,connect-failure,503,previous-hosts' },
  });
  const spec = specOf(subject, routes(40));
  assert.deepEqual(spec.virtualhost, { fqdn: 'app.example.com' });
  assert.deepEqual(spec.routes, [
    {
      conditions: [{ prefix: '/api' }],
      services: [
        { name: 'podinfo-primary', port: 9898, weight: 60 },
        { name: 'podinfo-canary', port: 9898, weight: 40 },
      ],
      timeoutPolicy: { response: '15s' },
      retryPolicy: {
        count: 3,
        perTryTimeout: '5s',
        retryOn: ['gateway-error', 'connect-failure', 'retriable-status-codes'],
        retriableStatusCodes: [503],
      },
    },
  ]);
  assert.deepEqual(httpProxyRoutes(subject, buildHttpProxy(subject, routes(40))), routes(40));
});

test('a path matched exactly or by regular expression, and several service matches', () => {
  const spec = specOf(
    canary({ match: [{ uri: { exact: '/healthz' } }, { uri: { suffix: '.json' }, headers: { accept: { exact: 'application/json' } } }] }),
    routes(10),
  );
  assert.deepEqual(
    spec.routes.map((route) => route.conditions),
    [[{ exact: '/healthz' }], [{ regex: '.*\\.json$' }, { header: { name: 'accept', exact: 'application/json' } }]],
  );
  assert.deepEqual(spec.routes.map(weights), [
    [
      ['podinfo-primary', 90],
      ['podinfo-canary', 10],
    ],
    [
      ['podinfo-primary', 90],
      ['podinfo-canary', 10],
    ],
  ]);
});

for (const weight of [0, 40, 100]) {
  test(`A/B at canary weight ${weight}: matching requests get the run weights, everyone else stays on the primary`, () => {
    const subject = canary({}, { stepWeight: undefined, iterations: 10, match: abMatch });
    const proxy = buildHttpProxy(subject, routes(weight));
    const spec = proxy.spec as ProxySpec;
    assert.deepEqual(
      spec.routes.map((route) => route.conditions),
      [
        [{ prefix: '/' }, { header: { name: 'x-canary', exact: 'insider' } }],
        [{ prefix: '/' }, { header: { name: 'user-agent', regex: '^Mozilla.*' } }, { queryParameter: { name: 'beta', suffix: 'on' } }],
        [{ prefix: '/' }],
      ],
    );
    assert.deepEqual(spec.routes.map(weights), [
      [
        ['podinfo-primary', 100 - weight],
        ['podinfo-canary', weight],
      ],
      [
        ['podinfo-primary', 100 - weight],
        ['podinfo-canary', weight],
      ],
      [
        ['podinfo-primary', 100],
        ['podinfo-canary', 0],
      ],
    ]);
    assert.deepEqual(httpProxyRoutes(subject, proxy), routes(weight));
  });
}

test('A/B: a header present, or matched by regular expression', () => {
  const spec = specOf(
    canary({}, { match: [{ headers: { 'x-beta': {}, cookie: { regex: '^(.*?;)?(canary=always)(;.*)?$' } } }] }),
    routes(100),
  );
  assert.deepEqual(spec.routes[0]?.conditions, [
    { prefix: '/' },
    { header: { name: 'x-beta', present: true } },
    { header: { name: 'cookie', regex: '^(.*?;)?(canary=always)(;.*)?$' } },
  ]);
});

test('A/B: what Contour cannot match on is an error naming the field', () => {
  assert.throws(
    () => buildHttpProxy(canary({}, { match: [{ sourceLabels: { app: 'frontend' } }] }), routes(0)),
    /spec\.analysis\.match\[0\]: .*sourceLabels/,
  );
  assert.throws(() => buildHttpProxy(canary({ match: [{ method: { exact: 'GET' } }] }), routes(0)), /spec\.service\.match\[0\]: .*method/);
});

test('the HTTPProxy is named after the apex Service and owned by the Canary', () => {
  const proxy = buildHttpProxy(canary({ name: 'frontend' }), routes(40));
  assert.equal(proxy.metadata?.name, 'frontend');
  assert.equal(proxy.metadata?.namespace, 'test');
  assert.deepEqual(proxy.metadata?.ownerReferences, [
    { apiVersion: 'wren.dev/v1alpha1', kind: 'Canary', name: 'podinfo', uid: 'uid-9', controller: true, blockOwnerDeletion: true },
  ]);
  assert.deepEqual(weights((proxy.spec as ProxySpec).routes[0]), [
    ['frontend-primary', 60],
    ['frontend-canary', 40],
  ]);
});

test('released on deletion: every route to the apex Service, without an owner or A/B route', () => {
  const subject = canary({ hosts: ['app.example.com'], timeout: '15s' }, { match: abMatch });
  const released = releasedHttpProxy(subject);
  assert.equal(released.kind, 'HTTPProxy');
  assert.deepEqual(released.metadata, { name: 'podinfo', namespace: 'test' });
  assert.deepEqual(released.spec, {
    virtualhost: { fqdn: 'app.example.com' },
    routes: [
      { conditions: [{ prefix: '/' }], services: [{ name: 'podinfo', port: 9898, weight: 100 }], timeoutPolicy: { response: '15s' } },
    ],
  });
  assert.equal(httpProxyRoutes(subject, released), undefined, 'no longer split between primary and canary');
  assert.equal(httpProxyRoutes(subject, undefined), undefined);
});

test('router: creates the proxy all-primary, keeps the current weights, hands it back to the apex Service on finalize', async () => {
  const { context, calls, cache, types } = fakeContext();
  const router = new SingleObjectRouter(context, HTTP_PROXY_KIND);
  assert.equal(router.weighted, true);
  assert.deepEqual(types, [HTTP_PROXIES]);
  assert.equal(router.getRoutes(canary()), undefined);
  await router.reconcile(canary());
  assert.deepEqual(router.getRoutes(canary()), routes(0));
  await router.setRoutes(canary(), routes(40));
  await router.reconcile(canary());
  assert.deepEqual(router.getRoutes(canary()), routes(40), 'reconcile keeps the weights of the run');
  await router.finalize(canary());
  assert.deepEqual(calls, [
    'service primary',
    'ensure HTTPProxy podinfo',
    'service primary',
    'ensure HTTPProxy podinfo',
    'service primary',
    'ensure HTTPProxy podinfo',
    'service canary unowned',
    'release podinfo with fallback',
  ]);
  assert.deepEqual(cache.get('test/podinfo'), releasedHttpProxy(canary()));
});
