// The HTTPRoute the gatewayapi provider writes, and reading it back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary } from '../../../src/api/canary.ts';
import { buildHttpRoute, httpRouteRoutes, releasedHttpRoute } from '../../../src/routing/gatewayapi-route.ts';
import type { Routes } from '../../../src/routing/router.ts';

function canary(analysis: Partial<Canary['spec']['analysis']> = {}, service: Partial<Canary['spec']['service']> = {}): Canary {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name: 'web', namespace: 'shop', uid: 'uid-1' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      provider: 'gatewayapi',
      service: { port: 8080, gatewayRefs: [{ name: 'public', namespace: 'edge' }], hosts: ['web.example.com'], ...service },
      analysis: { interval: '30s', threshold: 2, stepWeight: 20, ...analysis },
    },
    status: { lastAppliedSpec: 'rev-7' },
  };
}

type Rule = {
  matches?: Record<string, any>[];
  backendRefs: { name: string; weight: number; filters?: any[] }[];
  filters?: any[];
  timeouts?: unknown;
};
const rulesOf = (route: ReturnType<typeof buildHttpRoute>) => (route.spec as { rules: Rule[] }).rules;

for (const routes of [
  { primaryWeight: 100, canaryWeight: 0 },
  { primaryWeight: 70, canaryWeight: 30 },
  { primaryWeight: 0, canaryWeight: 100 },
  { primaryWeight: 100, canaryWeight: 0, mirror: true },
] satisfies Routes[]) {
  test(`weights ${routes.primaryWeight}/${routes.canaryWeight}${routes.mirror ? ' with mirroring' : ''} are written and read back`, () => {
    const route = buildHttpRoute(canary({ mirrorWeight: 25 }), routes);
    const [rule] = rulesOf(route);
    assert.deepEqual(
      rule?.backendRefs.map((ref) => [ref.name, ref.weight]),
      [
        ['web-primary', routes.primaryWeight],
        ['web-canary', routes.canaryWeight],
      ],
    );
    assert.deepEqual(httpRouteRoutes(canary(), route), routes);
    if (routes.mirror)
      assert.deepEqual(rule?.filters, [
        { type: 'RequestMirror', requestMirror: { backendRef: { name: 'web-canary', port: 8080 }, percent: 25 } },
      ]);
  });
}

test('the route is attached to the Gateways and hosts of the Canary and owned by it', () => {
  const route = buildHttpRoute(canary({}, { timeout: '15s' }), { primaryWeight: 100, canaryWeight: 0 });
  assert.equal(route.metadata?.name, 'web');
  assert.deepEqual(
    route.metadata?.ownerReferences?.map((owner) => owner.uid),
    ['uid-1'],
  );
  assert.deepEqual(route.spec?.parentRefs, [{ name: 'public', namespace: 'edge' }]);
  assert.deepEqual(route.spec?.hostnames, ['web.example.com']);
  assert.deepEqual(rulesOf(route)[0]?.timeouts, { request: '15s' });
});

test('A/B: matching requests get the run weights, everyone else stays on the primary', () => {
  const ab = canary({
    stepWeight: undefined,
    iterations: 5,
    match: [{ headers: { 'x-canary': { exact: 'insider' }, 'user-agent': { prefix: 'Mozilla' } } }],
  });
  const route = buildHttpRoute(ab, { primaryWeight: 0, canaryWeight: 100 });
  const [matched, rest] = rulesOf(route);
  assert.deepEqual(matched?.matches, [
    {
      headers: [
        { type: 'Exact', name: 'x-canary', value: 'insider' },
        { type: 'RegularExpression', name: 'user-agent', value: '^Mozilla.*' },
      ],
    },
  ]);
  assert.deepEqual(
    matched?.backendRefs.map((ref) => ref.weight),
    [0, 100],
  );
  assert.equal(rest?.matches, undefined);
  assert.deepEqual(
    rest?.backendRefs.map((ref) => ref.weight),
    [100, 0],
  );
  assert.deepEqual(httpRouteRoutes(ab, route), { primaryWeight: 0, canaryWeight: 100 });
});

test('session affinity: the canary sets the cookie while traffic shifts, and its sessions stay with it', () => {
  const sticky = canary({ sessionAffinity: { cookieName: 'flagger-cookie', maxAge: 60 } });
  const shifting = buildHttpRoute(sticky, { primaryWeight: 80, canaryWeight: 20 });
  const [cookieRule, weighted] = rulesOf(shifting);
  assert.deepEqual(cookieRule?.matches, [{ headers: [{ type: 'RegularExpression', name: 'Cookie', value: '.*flagger-cookie=rev-7.*' }] }]);
  assert.deepEqual(
    cookieRule?.backendRefs.map((ref) => [ref.name, ref.weight]),
    [['web-canary', 100]],
  );
  assert.deepEqual(weighted?.backendRefs[1]?.filters, [
    {
      type: 'ResponseHeaderModifier',
      responseHeaderModifier: { add: [{ name: 'Set-Cookie', value: 'flagger-cookie=rev-7; Max-Age=60; Path=/' }] },
    },
  ]);
  assert.deepEqual(httpRouteRoutes(sticky, shifting), { primaryWeight: 80, canaryWeight: 20 });
  const settled = rulesOf(buildHttpRoute(sticky, { primaryWeight: 100, canaryWeight: 0 }));
  assert.equal(settled.length, 1, 'no cookie rule outside a weighted step');
  assert.equal(settled[0]?.backendRefs[1]?.filters, undefined);
});

test('a parent that refuses the route is an error naming the parent and its reason', () => {
  const route = buildHttpRoute(canary(), { primaryWeight: 100, canaryWeight: 0 });
  const refused = {
    ...route,
    status: {
      parents: [
        {
          parentRef: { name: 'public' },
          conditions: [{ type: 'Accepted', status: 'False', reason: 'NoMatchingListenerHostname', message: 'no listener' }],
        },
      ],
    },
  };
  assert.throws(
    () => httpRouteRoutes(canary(), refused),
    /HTTPRoute web is not accepted by public: NoMatchingListenerHostname no listener/,
  );
  assert.equal(httpRouteRoutes(canary(), undefined), undefined);
});

test('released on deletion: everything to the apex Service, without an owner', () => {
  const released = releasedHttpRoute(canary());
  assert.equal(released.metadata?.ownerReferences, undefined);
  assert.deepEqual(
    rulesOf(released).map((rule) => rule.backendRefs),
    [[{ name: 'web', port: 8080, weight: 100 }]],
  );
  assert.equal(httpRouteRoutes(canary(), released), undefined, 'no longer split between primary and canary');
});
