import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRIMARY_REPLICAS_ANNOTATION, primaryReplicasOf } from '../../src/api/canary-target.ts';

const cases: [string | undefined, number | undefined][] = [
  ['4', 4],
  [' 3 ', 3],
  ['0', 0],
  [undefined, undefined],
  ['', undefined],
  ['-1', undefined],
  ['2.5', undefined],
  ['many', undefined],
  ['9999999', undefined],
];
for (const [value, replicas] of cases) {
  test(`primary-replicas annotation ${JSON.stringify(value)} → ${replicas}`, () => {
    assert.equal(primaryReplicasOf(value === undefined ? {} : { [PRIMARY_REPLICAS_ANNOTATION]: value }), replicas);
  });
}
