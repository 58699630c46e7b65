import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deploymentReadiness } from '../../../src/workload/readiness.ts';
import type { Deployment } from '../../../src/workload/workload-types.ts';

const deployment = (replicas: number, status: Deployment['status'], generation = 2): Deployment => ({
  metadata: { name: 'web', generation },
  spec: { replicas },
  status,
});

test('readiness follows what the deployment controller reports', () => {
  const cases: [string, Deployment | undefined, boolean, boolean][] = [
    ['missing', undefined, false, false],
    ['rolled out', deployment(3, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), true, true],
    [
      'change not observed yet',
      deployment(3, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }),
      false,
      true,
    ],
    ['half updated', deployment(4, { observedGeneration: 2, replicas: 5, updatedReplicas: 2, availableReplicas: 4 }), false, true],
    ['old pods terminating', deployment(3, { observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }), false, true],
    [
      'updated but not available',
      deployment(3, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 0 }),
      false,
      false,
    ],
    [
      'rolled out, an old pod still draining',
      deployment(3, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3, terminatingReplicas: 1 }),
      false,
      true,
    ],
    ['scaled to zero', deployment(0, { observedGeneration: 2 }), true, false],
    ['scaled to zero, pods still draining', deployment(0, { observedGeneration: 2, terminatingReplicas: 2 }), false, false],
  ];
  for (const [name, object, ready, serving] of cases) {
    const readiness = deploymentReadiness(object);
    assert.equal(readiness.ready, ready, `${name}: ready`);
    assert.equal(readiness.serving, serving, `${name}: serving`);
    if (!ready) assert.ok(readiness.waitingFor, `${name}: says what it waits for`);
  }
});

test('a ready threshold below 100% accepts a partly available rollout', () => {
  const partial = deployment(4, { observedGeneration: 2, replicas: 4, updatedReplicas: 4, availableReplicas: 3 });
  assert.equal(deploymentReadiness(partial).ready, false);
  assert.equal(deploymentReadiness(partial, 75).ready, true);
});
