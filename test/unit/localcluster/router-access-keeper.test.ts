import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  routerAccessAction,
  type RouterAccessAction,
  type RouterAccessSeen,
} from '../../../src/localcluster/data-plane/router-access-keeper.ts';

const cases: [string, RouterAccessSeen, RouterAccessAction][] = [
  ['all there, the router runs with the token issued', { gatewayExists: true, token: 'a', routerToken: 'a' }, 'nothing'],
  ['the namespace went: no Gateway, no token', { gatewayExists: false, token: undefined, routerToken: 'a' }, 'apply'],
  ['the Gateway alone was deleted', { gatewayExists: false, token: 'a', routerToken: 'a' }, 'apply'],
  ['the token Secret alone was deleted', { gatewayExists: true, token: undefined, routerToken: 'a' }, 'apply'],
  [
    'applied again: a new token is issued, the router still has the old one',
    { gatewayExists: true, token: 'b', routerToken: 'a' },
    'restart-router',
  ],
];

for (const [name, seen, expected] of cases) {
  test(`router access: ${name} → ${expected}`, () => {
    assert.equal(routerAccessAction(seen), expected);
  });
}
