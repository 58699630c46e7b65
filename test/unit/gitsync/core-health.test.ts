import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Health, type HealthVerdict, objectHealth, overallHealth } from '../../../src/gitsync/health.ts';
import type { KubeObject } from '../../../src/kube/objects.ts';

const live = (
  apiVersion: string,
  kind: string,
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  generation = 2,
): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: 'x', namespace: 'shop', generation },
  spec,
  status,
});

const deployment = (spec: Record<string, unknown>, status: Record<string, unknown>, generation?: number) =>
  live('apps/v1', 'Deployment', spec, status, generation);
const statefulSet = (spec: Record<string, unknown>, status: Record<string, unknown>) => live('apps/v1', 'StatefulSet', spec, status);
const daemonSet = (status: Record<string, unknown>) => live('apps/v1', 'DaemonSet', {}, status);
const job = (spec: Record<string, unknown>, conditions: Record<string, unknown>[]) => live('batch/v1', 'Job', spec, { conditions });
const pod = (status: Record<string, unknown>) => live('v1', 'Pod', {}, status);
const service = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) => live('v1', 'Service', spec, status);
const ingress = (status: Record<string, unknown>) => live('networking.k8s.io/v1', 'Ingress', {}, status);
const claim = (phase: string | undefined) => live('v1', 'PersistentVolumeClaim', {}, phase ? { phase } : {});
const canary = (spec: Record<string, unknown>, status: Record<string, unknown>) => live('wren.dev/v1alpha1', 'Canary', spec, status);
const gitSync = (status: Record<string, unknown>) => live('wren.dev/v1alpha1', 'GitSync', {}, status);

const rolledOut = { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 };
const deadlineExceeded = {
  type: 'Progressing',
  status: 'False',
  reason: 'ProgressDeadlineExceeded',
  message: 'ReplicaSet "web-7d" has timed out progressing.',
};

const cases: { name: string; object: KubeObject | undefined; health: Health; message?: string }[] = [
  { name: 'no live object', object: undefined, health: 'Missing', message: 'not found in the cluster' },

  { name: 'Deployment fully rolled out', object: deployment({ replicas: 3 }, rolledOut), health: 'Healthy' },
  {
    name: 'Deployment without spec.replicas defaults to one',
    object: deployment({}, { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }),
    health: 'Healthy',
  },
  { name: 'Deployment scaled to zero', object: deployment({ replicas: 0 }, { observedGeneration: 2 }), health: 'Healthy' },
  {
    name: 'Deployment whose new spec the controller has not seen yet',
    object: deployment({ replicas: 3 }, { ...rolledOut, observedGeneration: 1 }),
    health: 'Progressing',
    message: 'waiting for the controller to observe the new spec',
  },
  {
    name: 'Deployment updating replicas',
    object: deployment({ replicas: 3 }, { observedGeneration: 2, replicas: 4, updatedReplicas: 1, availableReplicas: 3 }),
    health: 'Progressing',
    message: '1 of 3 replicas updated',
  },
  {
    name: 'Deployment with old replicas still terminating',
    object: deployment({ replicas: 3 }, { observedGeneration: 2, replicas: 5, updatedReplicas: 3, availableReplicas: 3 }),
    health: 'Progressing',
    message: '2 old replicas pending termination',
  },
  {
    name: 'Deployment whose updated replicas are not available yet',
    object: deployment({ replicas: 3 }, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 1 }),
    health: 'Progressing',
    message: '1 of 3 updated replicas available',
  },
  {
    name: 'Deployment past its progress deadline',
    object: deployment(
      { replicas: 3 },
      { observedGeneration: 2, replicas: 4, updatedReplicas: 1, availableReplicas: 3, conditions: [deadlineExceeded] },
    ),
    health: 'Degraded',
    message: 'ReplicaSet "web-7d" has timed out progressing.',
  },
  {
    name: 'Deployment that progresses normally is not degraded by its Progressing condition',
    object: deployment(
      { replicas: 3 },
      { ...rolledOut, conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] },
    ),
    health: 'Healthy',
  },
  {
    name: 'paused Deployment, even mid rollout',
    object: deployment({ replicas: 3, paused: true }, { observedGeneration: 2, replicas: 4, updatedReplicas: 1, availableReplicas: 3 }),
    health: 'Suspended',
    message: 'rollout paused',
  },

  {
    name: 'StatefulSet rolled out',
    object: statefulSet(
      { replicas: 2 },
      { observedGeneration: 2, readyReplicas: 2, updatedReplicas: 2, currentRevision: 'r2', updateRevision: 'r2' },
    ),
    health: 'Healthy',
  },
  {
    name: 'StatefulSet updating',
    object: statefulSet(
      { replicas: 2 },
      { observedGeneration: 2, readyReplicas: 2, updatedReplicas: 1, currentRevision: 'r1', updateRevision: 'r2' },
    ),
    health: 'Progressing',
    message: '1 of 2 replicas updated',
  },
  {
    name: 'StatefulSet with a replica not ready',
    object: statefulSet(
      { replicas: 2 },
      { observedGeneration: 2, readyReplicas: 1, updatedReplicas: 2, currentRevision: 'r2', updateRevision: 'r2' },
    ),
    health: 'Progressing',
    message: '1 of 2 replicas ready',
  },
  {
    name: 'StatefulSet whose revision has not caught up',
    object: statefulSet(
      { replicas: 2 },
      { observedGeneration: 2, readyReplicas: 2, updatedReplicas: 2, currentRevision: 'r1', updateRevision: 'r2' },
    ),
    health: 'Progressing',
    message: 'rolling out',
  },
  {
    name: 'StatefulSet with OnDelete updates is healthy once its pods are ready',
    object: statefulSet(
      { replicas: 2, updateStrategy: { type: 'OnDelete' } },
      { observedGeneration: 2, readyReplicas: 2, updatedReplicas: 0, currentRevision: 'r1', updateRevision: 'r2' },
    ),
    health: 'Healthy',
  },
  {
    name: 'StatefulSet not yet observed',
    object: statefulSet({ replicas: 2 }, { observedGeneration: 1, readyReplicas: 2, updatedReplicas: 2 }),
    health: 'Progressing',
    message: 'waiting for the controller to observe the new spec',
  },

  {
    name: 'DaemonSet rolled out',
    object: daemonSet({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }),
    health: 'Healthy',
  },
  {
    name: 'DaemonSet updating',
    object: daemonSet({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 1, numberAvailable: 3 }),
    health: 'Progressing',
    message: '1 of 3 pods updated',
  },
  {
    name: 'DaemonSet with pods not available',
    object: daemonSet({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 }),
    health: 'Progressing',
    message: '2 of 3 pods available',
  },

  { name: 'Job complete', object: job({}, [{ type: 'Complete', status: 'True' }]), health: 'Healthy' },
  { name: 'Job running', object: job({}, []), health: 'Progressing', message: 'job running' },
  {
    name: 'Job failed',
    object: job({}, [{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }]),
    health: 'Degraded',
    message: 'BackoffLimitExceeded',
  },
  {
    name: 'Job with a Failed condition that is False',
    object: job({}, [{ type: 'Failed', status: 'False' }]),
    health: 'Progressing',
    message: 'job running',
  },
  { name: 'Job suspended', object: job({ suspend: true }, []), health: 'Suspended', message: 'job suspended' },
  { name: 'CronJob', object: live('batch/v1', 'CronJob', {}, {}), health: 'Healthy' },
  {
    name: 'CronJob suspended',
    object: live('batch/v1', 'CronJob', { suspend: true }, {}),
    health: 'Suspended',
    message: 'cron job suspended',
  },

  { name: 'Pod running and ready', object: pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }), health: 'Healthy' },
  {
    name: 'Pod running, not ready',
    object: pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }),
    health: 'Progressing',
    message: 'pod not ready',
  },
  { name: 'Pod pending', object: pod({ phase: 'Pending' }), health: 'Progressing', message: 'pod pending' },
  { name: 'Pod succeeded', object: pod({ phase: 'Succeeded' }), health: 'Healthy' },
  { name: 'Pod failed', object: pod({ phase: 'Failed', message: 'OOMKilled' }), health: 'Degraded', message: 'OOMKilled' },

  { name: 'ClusterIP Service', object: service({ type: 'ClusterIP' }), health: 'Healthy' },
  { name: 'Service without a type', object: service({}), health: 'Healthy' },
  {
    name: 'LoadBalancer Service without an address',
    object: service({ type: 'LoadBalancer' }, { loadBalancer: {} }),
    health: 'Progressing',
    message: 'waiting for a load balancer address',
  },
  {
    name: 'LoadBalancer Service with an address',
    object: service({ type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } }),
    health: 'Healthy',
  },
  {
    name: 'Ingress without an address',
    object: ingress({ loadBalancer: { ingress: [] } }),
    health: 'Progressing',
    message: 'waiting for a load balancer address',
  },
  { name: 'Ingress with an address', object: ingress({ loadBalancer: { ingress: [{ hostname: 'lb.example' }] } }), health: 'Healthy' },

  { name: 'PVC bound', object: claim('Bound'), health: 'Healthy' },
  { name: 'PVC pending', object: claim('Pending'), health: 'Progressing', message: 'claim not bound' },
  { name: 'PVC without status', object: claim(undefined), health: 'Progressing', message: 'claim not bound' },
  { name: 'PVC lost', object: claim('Lost'), health: 'Degraded', message: 'claim lost its volume' },

  { name: 'Canary initialized', object: canary({}, { phase: 'Initialized' }), health: 'Healthy' },
  { name: 'Canary succeeded', object: canary({}, { phase: 'Succeeded' }), health: 'Healthy' },
  { name: 'Canary progressing', object: canary({}, { phase: 'Progressing' }), health: 'Progressing', message: 'canary Progressing' },
  {
    name: 'Canary waiting for promotion',
    object: canary({}, { phase: 'WaitingPromotion' }),
    health: 'Progressing',
    message: 'canary WaitingPromotion',
  },
  { name: 'Canary initializing', object: canary({}, { phase: 'Initializing' }), health: 'Progressing', message: 'canary Initializing' },
  { name: 'Canary without a phase yet', object: canary({}, {}), health: 'Progressing', message: 'canary not initialized yet' },
  {
    name: 'Canary failed',
    object: canary(
      {},
      { phase: 'Failed', conditions: [{ type: 'Ready', status: 'False', reason: 'Failed', message: 'success rate 80% < 99%' }] },
    ),
    health: 'Degraded',
    message: 'canary failed: success rate 80% < 99%',
  },
  {
    name: 'Canary failed without a message',
    object: canary({}, { phase: 'Failed' }),
    health: 'Degraded',
    message: 'canary failed: rolled back',
  },
  {
    name: 'Canary with an invalid spec',
    object: canary(
      {},
      {
        phase: 'Initialized',
        conditions: [{ type: 'Ready', status: 'False', reason: 'InvalidSpec', message: 'spec.analysis: set a schedule' }],
      },
    ),
    health: 'Degraded',
    message: 'spec.analysis: set a schedule',
  },
  {
    name: 'Canary suspended, even when it failed',
    object: canary({ suspend: true }, { phase: 'Failed' }),
    health: 'Suspended',
    message: 'canary suspended',
  },

  {
    name: 'nested GitSync healthy',
    object: gitSync({ health: 'Healthy', conditions: [{ type: 'Ready', status: 'True' }] }),
    health: 'Healthy',
  },
  {
    name: 'nested GitSync progressing',
    object: gitSync({ health: 'Progressing', conditions: [{ type: 'Ready', status: 'True' }] }),
    health: 'Progressing',
  },
  {
    name: 'nested GitSync that failed to sync',
    object: gitSync({
      health: 'Healthy',
      conditions: [{ type: 'Ready', status: 'False', reason: 'FetchFailed', message: 'fetch failed: repository not found' }],
    }),
    health: 'Degraded',
    message: 'fetch failed: repository not found',
  },
  { name: 'nested GitSync not synced yet', object: gitSync({}), health: 'Progressing', message: 'not synced yet' },
  {
    name: 'nested GitSync whose own health is Unknown (its ServiceAccount may not read an object) passes it on',
    object: gitSync({ health: 'Unknown' }),
    health: 'Unknown',
  },

  {
    name: 'kind without a rule (ConfigMap)',
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} },
    health: 'Healthy',
  },
  { name: 'custom resource without a rule', object: live('example.com/v1', 'Widget', {}, { phase: 'Broken' }), health: 'Healthy' },
];

for (const { name, object, health, message } of cases) {
  test(`objectHealth: ${name}`, () => {
    const verdict = objectHealth(object);
    assert.equal(verdict.health, health);
    if (message !== undefined) assert.equal(verdict.message, message);
  });
}

test('objectHealth: a ReplicaSet with all replicas ready is healthy', () => {
  const replicaSet = live(
    'apps/v1',
    'ReplicaSet',
    { replicas: 3 },
    { observedGeneration: 2, replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3 },
  );
  assert.equal(objectHealth(replicaSet).health, 'Healthy');
});

test('objectHealth: a nested GitSync with spec.suspend is Suspended, not Degraded', () => {
  const suspended = live(
    'wren.dev/v1alpha1',
    'GitSync',
    { suspend: true },
    {
      health: 'Healthy',
      conditions: [{ type: 'Ready', status: 'False', reason: 'Suspended', message: 'spec.suspend is true: not syncing' }],
    },
  );
  assert.equal(objectHealth(suspended).health, 'Suspended');
});

const named = (name: string, health: Health, message?: string): { name: string; verdict: HealthVerdict } => ({
  name,
  verdict: { health, ...(message ? { message } : {}) },
});

const overallCases: { name: string; verdicts: { name: string; verdict: HealthVerdict }[]; expected: HealthVerdict }[] = [
  { name: 'no objects', verdicts: [], expected: { health: 'Healthy' } },
  {
    name: 'all healthy',
    verdicts: [named('ConfigMap shop/a', 'Healthy'), named('Deployment shop/web', 'Healthy')],
    expected: { health: 'Healthy' },
  },
  {
    name: 'one progressing among healthy ones',
    verdicts: [
      named('ConfigMap shop/a', 'Healthy'),
      named('Deployment shop/web', 'Progressing', '1 of 3 replicas updated'),
      named('Service shop/web', 'Healthy'),
    ],
    expected: { health: 'Progressing', message: 'Deployment shop/web: 1 of 3 replicas updated' },
  },
  {
    name: 'degraded beats missing, progressing and suspended, wherever it is',
    verdicts: [
      named('Deployment shop/a', 'Suspended', 'rollout paused'),
      named('Deployment shop/b', 'Progressing', 'p'),
      named('Job shop/migrate', 'Degraded', 'BackoffLimitExceeded'),
      named('Service shop/c', 'Missing', 'not found in the cluster'),
    ],
    expected: { health: 'Degraded', message: 'Job shop/migrate: BackoffLimitExceeded' },
  },
  {
    name: 'missing beats progressing',
    verdicts: [named('Deployment shop/b', 'Progressing', 'p'), named('Service shop/c', 'Missing', 'not found in the cluster')],
    expected: { health: 'Missing', message: 'Service shop/c: not found in the cluster' },
  },
  {
    name: 'progressing beats suspended',
    verdicts: [
      named('CronJob shop/nightly', 'Suspended', 'cron job suspended'),
      named('Deployment shop/b', 'Progressing', 'pods starting'),
    ],
    expected: { health: 'Progressing', message: 'Deployment shop/b: pods starting' },
  },
  {
    name: 'of two equally bad objects the first is named',
    verdicts: [named('Job shop/first', 'Degraded', 'one'), named('Job shop/second', 'Degraded', 'two')],
    expected: { health: 'Degraded', message: 'Job shop/first: one' },
  },
  {
    name: 'a verdict without a message is named with its health',
    verdicts: [named('Widget shop/w', 'Degraded')],
    expected: { health: 'Degraded', message: 'Widget shop/w: Degraded' },
  },
];

for (const { name, verdicts, expected } of overallCases) {
  test(`overallHealth: ${name}`, () => {
    assert.deepEqual(overallHealth(verdicts), expected);
  });
}
