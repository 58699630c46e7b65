// The istio provider's objects: the VirtualService for each kind of rollout (weights, A/B, mirroring,
// session affinity), the pass-through of spec.service, ownership, the DestinationRules, the object
// handed back on deletion, and reading the routes back from what was built.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary, CanarySpecType, CanaryStatusType } from '../../../src/api/canary.ts';
import type { Routes } from '../../../src/canary/engine-types.ts';
import {
  buildDestinationRules,
  buildVirtualService,
  releasedVirtualService,
  virtualServiceRoutes,
} from '../../../src/routing/istio-objects.ts';

function canary(
  service: Partial<CanarySpecType['service']> = {},
  analysis: Partial<CanarySpecType['analysis']> = {},
  status: CanaryStatusType = { phase: 'Progressing', lastAppliedSpec: 'rev-2' },
): Canary {
  return {
    apiVersion: 'wren.dev/v1',
    kind: 'Canary',
    metadata: { name: 'web', namespace: 'shop', uid: 'uid-1' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      service: { port: 9898, ...service },
      analysis: { interval: '1m', threshold: 5, stepWeight: 10, maxWeight: 50, ...analysis },
    },
    status,
  };
}

type Destination = { destination: { host: string; port: { number: number } }; weight: number; headers?: unknown };
type HttpRoute = {
  match?: Record<string, unknown>[];
  route: Destination[];
  mirror?: unknown;
  mirrorPercentage?: unknown;
  [field: string]: unknown;
};
type Spec = { hosts: string[]; gateways: string[]; http: HttpRoute[] };

const specOf = (subject: Canary, routes: Routes) => buildVirtualService(subject, routes).spec as Spec;
const weights = (route: HttpRoute | undefined) => route?.route.map((entry) => [entry.destination.host, entry.weight]);

const affinity = { sessionAffinity: { cookieName: 'canary-session', maxAge: 3600 } };
const abMatch = {
  match: [
    { headers: { 'x-canary': { exact: 'insider' }, 'user-agent': { suffix: 'Firefox' } } },
    { queryParams: { beta: { prefix: 'on' } }, sourceLabels: { app: 'frontend' } },
  ],
};

const roundTrips: { name: string; canary: Canary; routes: Routes }[] = [
  { name: 'all primary', canary: canary(), routes: { primaryWeight: 100, canaryWeight: 0 } },
  { name: 'shifting', canary: canary(), routes: { primaryWeight: 70, canaryWeight: 30 } },
  { name: 'all canary', canary: canary(), routes: { primaryWeight: 0, canaryWeight: 100 } },
  { name: 'A/B', canary: canary({}, abMatch), routes: { primaryWeight: 0, canaryWeight: 100 } },
  { name: 'A/B idle', canary: canary({}, abMatch), routes: { primaryWeight: 100, canaryWeight: 0 } },
  { name: 'mirror', canary: canary({}, { mirror: true, mirrorWeight: 50 }), routes: { primaryWeight: 100, canaryWeight: 0, mirror: true } },
  { name: 'session affinity while shifting', canary: canary({}, affinity), routes: { primaryWeight: 70, canaryWeight: 30 } },
  { name: 'session affinity at 100', canary: canary({}, affinity), routes: { primaryWeight: 0, canaryWeight: 100 } },
  { name: 'A/B with mirror', canary: canary({}, abMatch), routes: { primaryWeight: 0, canaryWeight: 100, mirror: true } },
];

for (const { name, canary: subject, routes } of roundTrips) {
  test(`reading back what was built gives the same routes: ${name}`, () => {
    assert.deepEqual(virtualServiceRoutes(subject, buildVirtualService(subject, routes)), routes);
  });
}

for (const [primaryWeight, canaryWeight] of [
  [100, 0],
  [70, 30],
  [0, 100],
] as const) {
  test(`a weighted rollout at ${canaryWeight}% splits one route between primary and canary`, () => {
    const spec = specOf(canary(), { primaryWeight, canaryWeight });
    assert.deepEqual(spec.hosts, ['web']);
    assert.deepEqual(spec.gateways, ['mesh']);
    assert.equal(spec.http.length, 1);
    assert.deepEqual(spec.http[0]?.route, [
      { destination: { host: 'web-primary', port: { number: 9898 } }, weight: primaryWeight },
      { destination: { host: 'web-canary', port: { number: 9898 } }, weight: canaryWeight },
    ]);
    assert.equal(spec.http[0]?.match, undefined);
    assert.equal(spec.http[0]?.mirror, undefined);
  });
}

test("A/B testing sends matching requests by the engine's weights and everything else to the primary", () => {
  const spec = specOf(canary({}, abMatch), { primaryWeight: 0, canaryWeight: 100 });
  assert.equal(spec.http.length, 2);
  assert.deepEqual(spec.http[0]?.match, [
    { headers: { 'x-canary': { exact: 'insider' }, 'user-agent': { regex: '.*Firefox$' } } },
    { queryParams: { beta: { prefix: 'on' } }, sourceLabels: { app: 'frontend' } },
  ]);
  assert.deepEqual(weights(spec.http[0]), [
    ['web-primary', 0],
    ['web-canary', 100],
  ]);
  assert.equal(spec.http[1]?.match, undefined);
  assert.deepEqual(weights(spec.http[1]), [
    ['web-primary', 100],
    ['web-canary', 0],
  ]);
});

test('A/B default route keeps the service match', () => {
  const subject = canary({ match: [{ uri: { prefix: '/api' } }] }, abMatch);
  const spec = specOf(subject, { primaryWeight: 0, canaryWeight: 100 });
  assert.deepEqual(spec.http[1]?.match, [{ uri: { prefix: '/api' } }]);
});

test("mirroring copies the weighted route's requests to the canary", () => {
  const spec = specOf(canary({}, { mirror: true, mirrorWeight: 50 }), { primaryWeight: 100, canaryWeight: 0, mirror: true });
  assert.equal(spec.http.length, 1);
  assert.deepEqual(spec.http[0]?.mirror, { host: 'web-canary', port: { number: 9898 } });
  assert.deepEqual(spec.http[0]?.mirrorPercentage, { value: 50 });
  assert.deepEqual(weights(spec.http[0]), [
    ['web-primary', 100],
    ['web-canary', 0],
  ]);
  const all = specOf(canary({}, { mirror: true }), { primaryWeight: 100, canaryWeight: 0, mirror: true });
  assert.deepEqual(all.http[0]?.mirrorPercentage, { value: 100 }, 'all requests by default');
});

test('session affinity pins cookie holders to the canary and sets the cookie while shifting', () => {
  const spec = specOf(canary({}, affinity), { primaryWeight: 70, canaryWeight: 30 });
  assert.equal(spec.http.length, 2);
  assert.deepEqual(spec.http[0]?.match, [{ headers: { cookie: { regex: '.*canary-session=rev-2.*' } } }]);
  assert.deepEqual(weights(spec.http[0]), [['web-canary', 100]]);
  assert.deepEqual(spec.http[1]?.route[1]?.headers, { response: { add: { 'Set-Cookie': 'canary-session=rev-2; Max-Age=3600; Path=/' } } });
  assert.equal(spec.http[1]?.route[0]?.headers, undefined, 'the primary sets no cookie');
});

for (const [primaryWeight, canaryWeight] of [
  [100, 0],
  [0, 100],
] as const) {
  test(`session affinity sets no cookie and adds no cookie route at ${canaryWeight}%`, () => {
    const spec = specOf(canary({}, affinity), { primaryWeight, canaryWeight });
    assert.equal(spec.http.length, 1);
    assert.equal(spec.http[0]?.route[1]?.headers, undefined);
  });
}

test('session affinity needs a run revision', () => {
  const spec = specOf(canary({}, affinity, {}), { primaryWeight: 70, canaryWeight: 30 });
  assert.equal(spec.http.length, 1);
  assert.equal(spec.http[0]?.route[1]?.headers, undefined);
});

test('spec.service settings pass through to every route', () => {
  const service = {
    hosts: ['web.example.com', 'web'],
    gateways: ['public/gateway'],
    retries: { attempts: 3, perTryTimeout: '1s', retryOn: 'gateway-error,connect-failure' },
    timeout: '5s',
    corsPolicy: { allowOrigins: [{ exact: 'https://example.com' }], allowMethods: ['GET'] },
    headers: { request: { add: { 'x-via': 'wren' } } },
    rewrite: { uri: '/' },
    match: [{ uri: { prefix: '/api' } }, { uri: { suffix: '.json' } }],
  };
  const spec = specOf(canary(service, affinity), { primaryWeight: 70, canaryWeight: 30 });
  assert.deepEqual(spec.hosts, ['web', 'web.example.com']);
  assert.deepEqual(spec.gateways, ['public/gateway'], 'mesh only when listed');
  assert.equal(spec.http.length, 2);
  for (const route of spec.http) {
    assert.deepEqual(route.retries, service.retries);
    assert.equal(route.timeout, '5s');
    assert.deepEqual(route.corsPolicy, service.corsPolicy);
    assert.deepEqual(route.headers, service.headers);
    assert.deepEqual(route.rewrite, { uri: '/' });
  }
  assert.deepEqual(spec.http[1]?.match, [{ uri: { prefix: '/api' } }, { uri: { regex: '.*\\.json$' } }]);
  const withMesh = specOf(canary({ gateways: ['public/gateway', 'mesh'] }), { primaryWeight: 100, canaryWeight: 0 });
  assert.deepEqual(withMesh.gateways, ['public/gateway', 'mesh']);
});

test('unset spec.service settings add no fields', () => {
  const route = specOf(canary(), { primaryWeight: 100, canaryWeight: 0 }).http[0] ?? { route: [] };
  assert.deepEqual(Object.keys(route), ['route']);
});

test('the VirtualService and DestinationRules are owned by the Canary', () => {
  const subject = canary({ name: 'storefront', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
  const owner = { apiVersion: 'wren.dev/v1', kind: 'Canary', name: 'web', uid: 'uid-1', controller: true, blockOwnerDeletion: true };
  const vs = buildVirtualService(subject, { primaryWeight: 100, canaryWeight: 0 });
  assert.equal(vs.apiVersion, 'networking.istio.io/v1');
  assert.equal(vs.kind, 'VirtualService');
  assert.deepEqual(vs.metadata, {
    name: 'storefront',
    namespace: 'shop',
    labels: { 'app.kubernetes.io/managed-by': 'wren' },
    ownerReferences: [owner],
  });
  const rules = buildDestinationRules(subject);
  assert.deepEqual(
    rules.map((rule) => [rule.kind, rule.metadata?.name, rule.spec?.host]),
    [
      ['DestinationRule', 'storefront-primary', 'storefront-primary'],
      ['DestinationRule', 'storefront-canary', 'storefront-canary'],
    ],
  );
  for (const rule of rules) {
    assert.deepEqual(rule.metadata?.ownerReferences, [owner]);
    assert.deepEqual(rule.spec?.trafficPolicy, { tls: { mode: 'ISTIO_MUTUAL' } });
  }
  assert.equal(buildDestinationRules(canary())[0]?.spec?.trafficPolicy, undefined, 'no traffic policy unless set');
});

test('the released VirtualService sends everything to the apex Service and has no owner', () => {
  const subject = canary({ hosts: ['web.example.com'], gateways: ['public/gateway'], timeout: '5s' }, { ...abMatch, ...affinity });
  const released = releasedVirtualService(subject);
  assert.deepEqual(released.metadata, { name: 'web', namespace: 'shop' });
  const spec = released.spec as Spec;
  assert.deepEqual(spec.hosts, ['web', 'web.example.com']);
  assert.deepEqual(spec.gateways, ['public/gateway']);
  assert.equal(spec.http.length, 1);
  assert.deepEqual(spec.http[0]?.route, [{ destination: { host: 'web', port: { number: 9898 } }, weight: 100 }]);
  assert.equal(spec.http[0]?.timeout, '5s');
  assert.equal(spec.http[0]?.mirror, undefined);
  assert.equal(virtualServiceRoutes(subject, released), undefined, 'no primary/canary split left');
});

test('no routes are read from a missing or foreign VirtualService', () => {
  assert.equal(virtualServiceRoutes(canary(), undefined), undefined);
  const foreign = { spec: { http: [{ route: [{ destination: { host: 'other' }, weight: 100 }] }] } };
  assert.equal(virtualServiceRoutes(canary(), foreign), undefined);
});

test('fully qualified destination hosts are read back too', () => {
  const vs = {
    spec: {
      http: [
        {
          route: [
            { destination: { host: 'web-primary.shop.svc.cluster.local' }, weight: 60 },
            { destination: { host: 'web-canary.shop.svc.cluster.local' }, weight: 40 },
          ],
        },
      ],
    },
  };
  assert.deepEqual(virtualServiceRoutes(canary(), vs), { primaryWeight: 60, canaryWeight: 40 });
});
