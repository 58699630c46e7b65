// The local pod runtime's pure decisions: addresses, which images it runs and how, environments,
// probes, restart backoff, pod status, and the KWOK stages that leave its pods to it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import {
  containerEnv,
  ContainerConfigError,
  envSources,
  expandReferences,
  type PodFacts,
} from '../../../src/localcluster/runtime/container-env.ts';
import { knownImage, processPlan, runsLocally } from '../../../src/localcluster/runtime/known-images.ts';
import { leavePodsToRuntime, podsLeftToRuntime, RUNS_LOCALLY_QUERY } from '../../../src/localcluster/runtime/kwok-stages.ts';
import { allocatePodIp, inPodSubnet, podNetworkNames } from '../../../src/localcluster/runtime/pod-network-plan.ts';
import { podStatus } from '../../../src/localcluster/runtime/pod-status.ts';
import { nextReadiness, readinessProbe, type ProbeSpec } from '../../../src/localcluster/runtime/probes.ts';
import { restartDelay, restartsAfterRun } from '../../../src/localcluster/runtime/restart-backoff.ts';
import type { Container } from '../../../src/workload/workload-types.ts';

test('pod addresses: stable per uid, never the bridge or a used one, always in the private /16', () => {
  const first = allocatePodIp('uid-1', new Set());
  assert.equal(allocatePodIp('uid-1', new Set()), first, 'the same pod gets the same address');
  assert.notEqual(allocatePodIp('uid-1', new Set([first])), first);
  assert.ok(inPodSubnet(first));
  const taken = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const ip = allocatePodIp(`pod-${i}`, taken);
    assert.ok(!taken.has(ip) && ip !== '10.244.0.1' && ip !== '10.244.0.0' && ip !== '10.244.255.255', ip);
    taken.add(ip);
  }
  assert.equal(inPodSubnet('10.244.0.1'), false);
  assert.equal(inPodSubnet('10.0.0.5'), false);
  const names = podNetworkNames('0f3c9a2e-1b2c-4d5e-8f90-123456789abc');
  assert.deepEqual(names, { namespace: 'wren-pod-0f3c9a2e1b', hostVeth: 'wv0f3c9a2e1b' });
  assert.ok(names.hostVeth.length <= 15, 'interface names are at most 15 characters');
});

const images: [string, ReturnType<typeof knownImage>][] = [
  ['ghcr.io/wren-dev/demo-app:2.0.0', { app: 'demo-app', tag: '2.0.0' }],
  ['ghcr.io/wren-dev/demo-app', { app: 'demo-app', tag: 'latest' }],
  ['ghcr.io/stefanprodan/podinfo:6.9.2', { app: 'podinfo', tag: '6.9.2' }],
  ['ghcr.io/stefanprodan/podinfo:6.9.2@sha256:abc', { app: 'podinfo', tag: '6.9.2' }],
  ['ghcr.io/example/podinfo:1.0.0', undefined],
  ['ghcr.io/wren-dev/demo-app-extra:1', undefined],
  ['nginx:1.27', undefined],
];
for (const [image, expected] of images) {
  test(`known image: ${image}`, () => assert.deepEqual(knownImage(image), expected));
}

const executables = { node: '/opt/node', wrenMain: '/app/main.js', podinfo: '/bin/podinfo' };
test('the demo app runs as `wren demo-app` reporting its tag; podinfo runs its binary with the args as written', () => {
  assert.deepEqual(processPlan({ name: 'app', image: 'ghcr.io/wren-dev/demo-app:3.0.0' }, executables), {
    command: '/opt/node',
    args: ['/app/main.js', 'demo-app'],
    imageEnv: { DEMO_VERSION: '3.0.0', PORT: '8080' },
  });
  const podinfo: Container = {
    name: 'podinfod',
    image: 'ghcr.io/stefanprodan/podinfo:6.9.2',
    command: ['./podinfo', '--port=9898', '--random-error=true'],
  };
  assert.deepEqual(processPlan(podinfo, executables), {
    command: '/bin/podinfo',
    args: ['--port=9898', '--random-error=true'],
    imageEnv: {},
  });
  assert.match(
    (processPlan({ name: 'x', image: 'ghcr.io/wren-dev/demo-app:1', command: ['sh', '-c', 'exit 1'] }, executables) as { error: string })
      .error,
    /not in the demo-app image/,
  );
  assert.match(
    (processPlan({ name: 'x', image: 'ghcr.io/stefanprodan/podinfo:6', command: ['/bin/sh'] }, executables) as { error: string }).error,
    /not in the podinfo image/,
  );
  assert.equal(runsLocally([{ image: 'nginx' }, { image: 'ghcr.io/wren-dev/demo-app:1' }]), true);
  assert.equal(runsLocally([{ image: 'nginx' }]), false);
});

const pod: PodFacts = {
  name: 'web-7d9f-x2',
  namespace: 'shop',
  uid: 'u-1',
  labels: { app: 'web' },
  annotations: { team: 'checkout' },
  nodeName: 'kwok-node-0',
  serviceAccountName: 'default',
  podIP: '10.244.3.7',
  hostIP: '10.244.0.1',
};
const sources = {
  configMaps: new Map<string, Record<string, string> | undefined>([['settings', { COLOR: 'blue', GREETING: 'hi' }]]),
  secrets: new Map<string, Record<string, string> | undefined>([['db', { password: 's3cr3t' }]]),
};

test('a container environment: image, envFrom, values with $(VAR), ConfigMap and Secret keys, downward API', () => {
  const container = {
    name: 'app',
    envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'APP_' }],
    env: [
      { name: 'PORT', value: '9000' },
      { name: 'URL', value: 'http://$(POD_IP):$(PORT)/ and $$(PORT)' },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'COLOR' } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'APP_LABEL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'MISSING_OK', valueFrom: { configMapKeyRef: { name: 'settings', key: 'nope', optional: true } } },
    ],
  } as unknown as Container;
  const env = containerEnv(container, pod, sources, { DEMO_VERSION: '1.0.0', PORT: '8080' });
  assert.deepEqual(env, {
    DEMO_VERSION: '1.0.0',
    PORT: '9000',
    HOSTNAME: 'web-7d9f-x2',
    APP_COLOR: 'blue',
    APP_GREETING: 'hi',
    URL: 'http://$(POD_IP):9000/ and $(PORT)',
    POD_IP: '10.244.3.7',
    COLOR: 'blue',
    DB_PASSWORD: 's3cr3t',
    NS: 'shop',
    APP_LABEL: 'web',
  });
  assert.deepEqual(envSources(container), { configMaps: ['settings'], secrets: ['db'] });
  assert.equal(expandReferences('$(A)-$(B)', { A: 'x' }), 'x-$(B)');
});

test('a missing ConfigMap key or Secret is a CreateContainerConfigError naming it', () => {
  const missingKey = {
    name: 'app',
    env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'absent' } } }],
  } as unknown as Container;
  assert.throws(
    () => containerEnv(missingKey, pod, sources, {}),
    (error: Error) =>
      error instanceof ContainerConfigError && /couldn't find key absent in ConfigMap settings \(env X\)/.test(error.message),
  );
  const missingSecret = { name: 'app', envFrom: [{ secretRef: { name: 'gone' } }] } as unknown as Container;
  assert.throws(() => containerEnv(missingSecret, pod, sources, {}), /secret "gone" not found/);
  const resources = {
    name: 'app',
    env: [{ name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }],
  } as unknown as Container;
  assert.throws(() => containerEnv(resources, pod, sources, {}), /resourceFieldRef is not supported/);
});

test('readiness probes: httpGet and tcpSocket with named ports and Kubernetes defaults; thresholds count streaks', () => {
  const container = {
    name: 'app',
    ports: [{ name: 'http', containerPort: 8080 }],
    readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 2 },
  } as unknown as Container;
  const spec = readinessProbe(container) as ProbeSpec;
  assert.deepEqual(spec, {
    kind: 'http',
    port: 8080,
    path: '/readyz',
    periodMs: 2000,
    initialDelayMs: 0,
    timeoutMs: 1000,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.equal(readinessProbe({ name: 'app' }), undefined);
  assert.match(
    (readinessProbe({ name: 'a', readinessProbe: { exec: { command: ['true'] } } } as unknown as Container) as { error: string }).error,
    /only httpGet and tcpSocket/,
  );
  assert.match(
    (readinessProbe({ name: 'a', readinessProbe: { tcpSocket: { port: 'grpc' } } } as unknown as Container) as { error: string }).error,
    /no container port named "grpc"/,
  );
  let state = { ready: false, streak: { successes: 0, failures: 0 } };
  state = nextReadiness(state.ready, state.streak, true, spec);
  assert.equal(state.ready, true);
  state = nextReadiness(state.ready, state.streak, false, spec);
  state = nextReadiness(state.ready, state.streak, false, spec);
  assert.equal(state.ready, true, 'two failures are below the threshold of 3');
  state = nextReadiness(state.ready, state.streak, false, spec);
  assert.equal(state.ready, false);
});

test('restart backoff doubles from 10 s to 5 minutes and resets after 10 minutes of running', () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 30].map((restarts) => restartDelay(restarts)),
    [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000],
  );
  assert.equal(restartsAfterRun(4, 599_000), 4);
  assert.equal(restartsAfterRun(4, 600_000), 0);
});

test('pod status: Ready only when every container is ready; CrashLoopBackOff shows in the waiting state; transition times kept', () => {
  const view = {
    phase: 'Running' as const,
    podIP: '10.244.3.7',
    hostIP: '10.244.0.1',
    startTime: 't0',
    containers: [
      {
        name: 'app',
        image: 'ghcr.io/wren-dev/demo-app:1',
        ready: true,
        restartCount: 0,
        current: { state: 'running' as const, startedAt: 't1' },
      },
      {
        name: 'sidecar',
        image: 'ghcr.io/wren-dev/demo-app:1',
        ready: false,
        restartCount: 3,
        current: { state: 'waiting' as const, reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' },
        last: { state: 'terminated' as const, exitCode: 2, reason: 'Error', finishedAt: 't2' },
      },
    ],
  };
  const status = podStatus(view, undefined, 't3') as {
    conditions: { type: string; status: string; lastTransitionTime: string; message?: string }[];
    containerStatuses: Record<string, unknown>[];
    podIP: string;
  };
  const ready = status.conditions.find((condition) => condition.type === 'Ready');
  assert.equal(ready?.status, 'False');
  assert.equal(ready?.message, 'containers with unready status: [sidecar]');
  assert.equal(status.podIP, '10.244.3.7');
  assert.deepEqual(status.containerStatuses[1]?.state, {
    waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' },
  });
  assert.deepEqual(status.containerStatuses[1]?.lastState, { terminated: { exitCode: 2, reason: 'Error', finishedAt: 't2' } });
  assert.equal(status.containerStatuses[1]?.restartCount, 3);
  const later = podStatus(view, status as never, 't9') as typeof status;
  assert.equal(
    later.conditions.find((condition) => condition.type === 'Ready')?.lastTransitionTime,
    't3',
    'unchanged conditions keep their time',
  );
});

test("KWOK's pod stages leave known-image pods to the runtime; node stages and the rest are untouched", () => {
  const config = `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options: {}
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata: {name: node-initialize}
spec:
  resourceRef: {apiGroup: v1, kind: Node}
  selector:
    matchExpressions: [{key: .status.phase, operator: DoesNotExist}]
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata: {name: pod-ready}
spec:
  resourceRef: {apiGroup: v1, kind: Pod}
  selector:
    matchExpressions: [{key: .metadata.deletionTimestamp, operator: DoesNotExist}]
`;
  const { text, changed } = leavePodsToRuntime(config);
  assert.equal(changed, true);
  assert.ok(podsLeftToRuntime(text));
  assert.equal(text.split(RUNS_LOCALLY_QUERY).length - 1, 1, 'only the pod stage gets the requirement');
  assert.match(text, /name: node-initialize/);
  assert.deepEqual(leavePodsToRuntime(text), { text, changed: false }, 'applying it twice changes nothing');
});

test('in the configuration kwokctl generates (requirements as {jq: ...}) the requirement takes the same form, and a wrong form is repaired', () => {
  const generated = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata: {name: pod-ready}
spec:
  resourceRef: {apiGroup: v1, kind: Pod}
  selector:
    matchExpressions:
      - jq: {key: .metadata.deletionTimestamp, operator: DoesNotExist}
`;
  const { text } = leavePodsToRuntime(generated);
  const stage = parseAllDocuments(text)[0]?.toJSON() as { spec: { selector: { matchExpressions: object[] } } };
  assert.deepEqual(stage.spec.selector.matchExpressions[1], { jq: { key: RUNS_LOCALLY_QUERY, operator: 'NotIn', values: ['true'] } });
  const flat = generated.replace(
    '      - jq: {key: .metadata.deletionTimestamp, operator: DoesNotExist}',
    `      - jq: {key: .metadata.deletionTimestamp, operator: DoesNotExist}\n      - {key: '${RUNS_LOCALLY_QUERY}', operator: NotIn, values: ['true']}`,
  );
  const repaired = leavePodsToRuntime(flat);
  assert.equal(repaired.changed, true);
  assert.deepEqual(
    (parseAllDocuments(repaired.text)[0]?.toJSON() as typeof stage).spec.selector.matchExpressions,
    stage.spec.selector.matchExpressions,
  );
  assert.ok(podsLeftToRuntime(repaired.text));
});
