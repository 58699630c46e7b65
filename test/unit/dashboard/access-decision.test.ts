// The dashboard's access decision, as a table: (mode, token, TokenReview, SubjectAccessReview) -> answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideAccess, needsReview, type AccessRequest, type TokenReviewResult } from '../../../src/server/dashboard/access-decision.ts';
import { actionPermission, readPermission } from '../../../src/server/dashboard/permissions.ts';

const read = (anonymousRead: boolean, hasToken: boolean): AccessRequest => ({
  kind: 'read',
  anonymousRead,
  hasToken,
  permission: readPermission('canaries', 'shop'),
});
const action = (anonymousRead: boolean, hasToken: boolean): AccessRequest => ({
  kind: 'action',
  anonymousRead,
  hasToken,
  permission: actionPermission('canaries', 'shop'),
});
const alice: TokenReviewResult = { authenticated: true, user: 'system:serviceaccount:shop:alice', groups: [] };
const invalid: TokenReviewResult = { authenticated: false, error: 'token expired' };

const cases: [string, AccessRequest, TokenReviewResult | undefined, boolean | undefined, string, RegExp][] = [
  ['anonymous read allowed when the flag is on', read(true, false), undefined, undefined, 'allow', /anonymous read-only/],
  ['read without token refused when the flag is off', read(false, false), undefined, undefined, '401', /reading needs a bearer token/],
  [
    'action without token refused even with anonymous read',
    action(true, false),
    undefined,
    undefined,
    '401',
    /actions need a bearer token/,
  ],
  ['invalid token refused, with the review error', action(false, true), invalid, undefined, '401', /not valid: token expired/],
  ['unreviewed token refused', read(false, true), undefined, undefined, '401', /not reviewed/],
  [
    'valid token without the verb refused',
    action(false, true),
    alice,
    false,
    '403',
    /alice may not patch canaries.wren.dev in namespace shop/,
  ],
  ['valid token whose review gave no answer refused', read(false, true), alice, undefined, '403', /may not list canaries/],
  ['valid token with the verb allowed', action(false, true), alice, true, 'allow', /alice may patch canaries.wren.dev in namespace shop/],
  ['a token given with anonymous read changes nothing for reads', read(true, true), undefined, undefined, 'allow', /anonymous read-only/],
  ['read with a token allowed to list', read(false, true), alice, true, 'allow', /may list canaries.wren.dev in namespace shop/],
];

for (const [name, request, review, allowed, outcome, reason] of cases) {
  test(`access: ${name}`, () => {
    const decision = decideAccess(request, review, allowed);
    assert.equal(decision.allow ? 'allow' : String(decision.status), outcome);
    assert.match(decision.reason, reason);
  });
}

test('access: only reads in anonymous-read mode skip the API server reviews', () => {
  assert.equal(needsReview(read(true, false)), false);
  assert.equal(needsReview(read(true, true)), false);
  assert.equal(needsReview(read(false, false)), true);
  assert.equal(needsReview(action(true, false)), true);
});

test('access: reading everywhere asks for a cluster-wide list', () => {
  assert.deepEqual(readPermission('gitsyncs', undefined), { verb: 'list', group: 'wren.dev', resource: 'gitsyncs' });
  assert.deepEqual(actionPermission('gitsyncs', 'ops'), { verb: 'patch', group: 'wren.dev', resource: 'gitsyncs', namespace: 'ops' });
});
