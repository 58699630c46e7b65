// The embedded cluster's data plane: pods of the demo app run as real processes in network namespaces
// of their own, Traefik routes real requests to them by Ingress, IngressRoute and HTTPRoute, and
// Prometheus finds and scrapes them through the API server.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { dataPlaneInfo } from '../../src/localcluster/data-plane/data-plane.ts';
import { LOCAL_GATEWAY, ROUTER_CLASS, ROUTER_NAMESPACE } from '../../src/localcluster/data-plane/router-config.ts';
import { podProcesses } from '../../src/localcluster/runtime/pod-network.ts';
import { podNetworkNames } from '../../src/localcluster/runtime/pod-network-plan.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { DEPLOYMENTS, PODS, SERVICES } from '../../src/kube/resource-types.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { throughRouter } from '../helpers/router-request.ts';

type Pod = KubeObject & {
  spec?: { nodeName?: string };
  status?: {
    podIP?: string;
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { restartCount: number; ready: boolean; state?: Record<string, { reason?: string; message?: string }> }[];
  };
};

const ENDPOINT_SLICES = { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true };

function demoDeployment(
  namespace: string,
  name: string,
  version: string,
  replicas: number,
  pod: Record<string, unknown> = {},
  container: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080' } },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'app',
              image: `ghcr.io/wren-dev/demo-app:${version}`,
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 1 },
              ...container,
            },
          ],
          ...pod,
        },
      },
    },
  };
}

/** Service web: port 80 to the pods' http port. */
const webService = (namespace: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

/** An HTTPRoute on the local Gateway sending \`host\` to Service web. */
const httpRouteToWeb = (namespace: string, host: string) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web', namespace },
  spec: {
    parentRefs: [{ name: LOCAL_GATEWAY, namespace: ROUTER_NAMESPACE }],
    hostnames: [host],
    rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
  },
});

async function podsOf(cluster: TestCluster, namespace: string, app: string): Promise<Pod[]> {
  return (await cluster.client.list<Pod>(PODS, namespace, { labelSelector: `app=${app}` })).items;
}

const isReady = (pod: Pod) =>
  pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') === true;

/** Running (a zombie waiting for its parent to collect its exit status has stopped running). */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The demo app's processes in a pod's network namespace. */
async function appProcesses(namespace: string): Promise<number[]> {
  return (await podProcesses(namespace)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('demo-app');
    } catch {
      return false;
    }
  });
}

function dataPlane() {
  const info = dataPlaneInfo();
  assert.ok(info, 'the data plane runs (wren cluster up started it)');
  return info;
}

test('a demo-app Deployment of 3: three processes in three namespaces, Ready only once the probe passes; deleting and scaling stop them', async (t) => {
  const cluster = await useCluster();
  dataPlane();
  const namespace = await freshNamespace(t, cluster);
  // First the probe asks a port nothing listens on: running, never Ready.
  await cluster.client.create(
    DEPLOYMENTS,
    demoDeployment(namespace, 'web', '1.0.0', 3, {}, { readinessProbe: { tcpSocket: { port: 9999 }, periodSeconds: 1 } }),
  );
  const running = await eventually('three running pods', async () => {
    const pods = await podsOf(cluster, namespace, 'web');
    return pods.length === 3 && pods.every((pod) => pod.status?.containerStatuses?.[0]?.state?.running) ? pods : undefined;
  });
  await sleep(3000);
  for (const pod of await podsOf(cluster, namespace, 'web'))
    assert.equal(isReady(pod), false, `${pod.metadata?.name} is not Ready while its probe fails`);
  const ips = new Set(running.map((pod) => pod.status?.podIP));
  assert.equal(ips.size, 3, 'three distinct addresses');
  for (const pod of running) {
    assert.match(pod.status?.podIP ?? '', /^10\.244\.\d+\.\d+$/);
    const apps = await appProcesses(podNetworkNames(pod.metadata?.uid ?? '').namespace);
    assert.equal(apps.length, 1, `${pod.metadata?.name}: its demo-app process runs in its own namespace`);
  }

  // The probe fixed: new pods, Ready once /readyz answers.
  await cluster.kubectl([
    'patch',
    'deployment',
    'web',
    '-n',
    namespace,
    '--type=json',
    '-p',
    JSON.stringify([
      {
        op: 'replace',
        path: '/spec/template/spec/containers/0/readinessProbe',
        value: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 1 },
      },
    ]),
  ]);
  const ready = await eventually('three Ready pods of the fixed template', async () => {
    const pods = (await podsOf(cluster, namespace, 'web')).filter((pod) => !pod.metadata?.deletionTimestamp);
    return pods.length === 3 && pods.every(isReady) ? pods : undefined;
  });
  const victim = ready[0] as Pod;
  const victimProcesses = await appProcesses(podNetworkNames(victim.metadata?.uid ?? '').namespace);
  assert.equal(victimProcesses.length, 1);
  await cluster.kubectl(['delete', 'pod', victim.metadata?.name ?? '', '-n', namespace, '--wait=true', '--timeout=60s']);
  assert.deepEqual(victimProcesses.filter(isAlive), [], 'a deleted pod leaves no process');
  assert.equal(existsSync(`/run/netns/${podNetworkNames(victim.metadata?.uid ?? '').namespace}`), false, 'nor its network namespace');

  const survivors = (
    await Promise.all(ready.slice(1).map((pod) => appProcesses(podNetworkNames(pod.metadata?.uid ?? '').namespace)))
  ).flat();
  assert.equal(survivors.length, 2);
  await cluster.kubectl(['scale', 'deployment', 'web', '-n', namespace, '--replicas=0']);
  await eventually('no pod left', async () => (await podsOf(cluster, namespace, 'web')).length === 0);
  assert.deepEqual(survivors.filter(isAlive), [], 'scaled to zero: no process left');
});

test('a container that keeps exiting restarts with backoff and shows CrashLoopBackOff; a missing ConfigMap key shows CreateContainerConfigError', async (t) => {
  const cluster = await useCluster();
  dataPlane();
  const namespace = await freshNamespace(t, cluster);
  await cluster.client.create(
    DEPLOYMENTS,
    demoDeployment(namespace, 'crashy', '1.0.0', 1, {}, { env: [{ name: 'PORT', value: 'not-a-port' }] }),
  );
  await cluster.client.create(
    DEPLOYMENTS,
    demoDeployment(
      namespace,
      'unconfigured',
      '1.0.0',
      1,
      {},
      { env: [{ name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } }] },
    ),
  );
  const crashing = await eventually(
    'a restarted, backing-off container',
    async () => {
      const [pod] = await podsOf(cluster, namespace, 'crashy');
      const status = pod?.status?.containerStatuses?.[0];
      return status && status.restartCount >= 1 && status.state?.waiting?.reason === 'CrashLoopBackOff' ? pod : undefined;
    },
    { timeoutMs: 90_000 },
  );
  assert.match(crashing.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '', /back-off \d+s restarting failed container=app/);
  assert.equal(isReady(crashing), false);
  const logs = await cluster.kubectl([
    'get',
    'events',
    '-n',
    namespace,
    '--field-selector',
    `involvedObject.name=${crashing.metadata?.name},reason=BackOff`,
    '-o',
    'name',
  ]);
  assert.ok(logs.trim().length > 0, 'a BackOff event');

  const unconfigured = await eventually('the config error to show', async () => {
    const [pod] = await podsOf(cluster, namespace, 'unconfigured');
    return pod?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError' ? pod : undefined;
  });
  assert.match(unconfigured.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '', /configmap "settings" not found \(env COLOR\)/);
  await cluster.kubectl(['create', 'configmap', 'settings', '-n', namespace, '--from-literal=color=blue']);
  await eventually('the pod to start once its ConfigMap exists', async () => {
    const [pod] = await podsOf(cluster, namespace, 'unconfigured');
    return pod !== undefined && isReady(pod);
  });
});

test('EndpointSlices list exactly the Ready pods, and Traefik routes Ingress, IngressRoute and HTTPRoute requests to them', async (t) => {
  const cluster = await useCluster();
  const { router } = dataPlane();
  const namespace = await freshNamespace(t, cluster);
  await cluster.client.create(DEPLOYMENTS, demoDeployment(namespace, 'web', '2.1.0', 2));
  await cluster.client.create(SERVICES, webService(namespace));
  const pods = await eventually('two Ready pods', async () => {
    const found = await podsOf(cluster, namespace, 'web');
    return found.length === 2 && found.every(isReady) ? found : undefined;
  });
  const slice = await eventually('the EndpointSlice to list the pods', async () => {
    const slices = await cluster.client.list<KubeObject & { endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] }>(
      ENDPOINT_SLICES,
      namespace,
      {
        labelSelector: 'kubernetes.io/service-name=web',
      },
    );
    const ready = slices.items.flatMap((item) =>
      (item.endpoints ?? []).filter((endpoint) => endpoint.conditions?.ready).flatMap((endpoint) => endpoint.addresses),
    );
    return ready.length === 2 ? ready : undefined;
  });
  assert.deepEqual([...slice].sort(), pods.map((pod) => pod.status?.podIP ?? '').sort());

  const host = (kind: string) => `${kind}.${namespace}.test`;
  await cluster.kubectl(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'web', namespace },
          spec: {
            ingressClassName: ROUTER_CLASS,
            rules: [
              {
                host: host('ingress'),
                http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
              },
            ],
          },
        },
        {
          apiVersion: 'traefik.io/v1alpha1',
          kind: 'IngressRoute',
          metadata: { name: 'web', namespace },
          spec: {
            entryPoints: ['web'],
            routes: [{ match: `Host(\`${host('ingressroute')}\`)`, kind: 'Rule', services: [{ name: 'web', port: 80 }] }],
          },
        },
        httpRouteToWeb(namespace, host('httproute')),
      ],
    }),
  );
  const podNames = new Set(pods.map((pod) => pod.metadata?.name));
  for (const kind of ['ingress', 'ingressroute', 'httproute']) {
    const served = await eventually(`the router to route the ${kind}`, async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const answer = await throughRouter(router.http, host(kind));
          if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 120)}`);
          return { version: String(answer.headers['x-demo-version']), pod: String(answer.headers['x-demo-pod']) };
        }),
      );
      return answers;
    });
    assert.deepEqual(
      [...new Set(served.map((answer) => answer.version))],
      ['2.1.0'],
      `${kind}: every answer names the version that served it`,
    );
    for (const answer of served) assert.ok(podNames.has(answer.pod), `${kind}: answered by a pod of the Deployment (${answer.pod})`);
    assert.equal(new Set(served.map((answer) => answer.pod)).size, 2, `${kind}: both pods serve`);
  }
});

test('Prometheus discovers the pods and the router and counts the requests the test sent', async (t) => {
  const cluster = await useCluster();
  const { router, prometheus } = dataPlane();
  const namespace = await freshNamespace(t, cluster);
  await cluster.client.create(DEPLOYMENTS, demoDeployment(namespace, 'web', '1.0.0', 1));
  await cluster.client.create(SERVICES, webService(namespace));
  const host = `metrics.${namespace}.test`;
  await cluster.kubectl(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'IngressRoute',
      metadata: { name: 'web', namespace },
      spec: { entryPoints: ['web'], routes: [{ match: `Host(\`${host}\`)`, kind: 'Rule', services: [{ name: 'web', port: 80 }] }] },
    }),
  );
  // Every request the test sends through the route is counted; the fresh pod and Service start at zero.
  let sent = 0;
  const send = async () => {
    const { status } = await throughRouter(router.http, host);
    if (status === 200) sent += 1;
    return status === 200;
  };
  await eventually('the route to serve', send);
  const query = async (promql: string) => {
    const body = (await (await fetch(`${prometheus}/api/v1/query?${new URLSearchParams({ query: promql })}`)).json()) as {
      data: { result: { value: [number, string] }[] };
    };
    return body.data.result.reduce((sum, sample) => sum + Number(sample.value[1]), 0);
  };
  await eventually(
    'Prometheus to scrape the pod and the router',
    async () => (await query(`count(up{namespace="${namespace}"} == 1)`)) === 1 && (await query('up{job="traefik"}')) === 1,
  );
  for (let i = 0; i < 40; i++) await send();
  const podRequests = `sum(http_request_duration_seconds_count{namespace="${namespace}", path="/"})`;
  const routerRequests = `sum(traefik_service_requests_total{service=~"${namespace}-web-.*"})`;
  const counted = await eventually(
    `Prometheus to count the requests sent`,
    async () => {
      const counts = { pod: await query(podRequests), router: await query(routerRequests) };
      return counts.pod === sent && counts.router === sent ? counts : undefined;
    },
    { timeoutMs: 60_000 },
  );
  assert.deepEqual(counted, { pod: sent, router: sent });
});

test('deleting wren-system (as uninstalling deploy/ does) loses the router nothing: its access and the Gateway come back, and a route made afterwards is served', async (t) => {
  const cluster = await useCluster();
  const { router } = dataPlane();
  const namespace = await freshNamespace(t, cluster);
  await cluster.client.create(DEPLOYMENTS, demoDeployment(namespace, 'web', '4.0.0', 1));
  await cluster.client.create(SERVICES, webService(namespace));
  await cluster.kubectl(['delete', 'namespace', ROUTER_NAMESPACE, '--timeout=120s']);

  // The route is new: only a router that reads the cluster again can know it.
  const host = `after-delete.${namespace}.test`;
  await cluster.kubectl(['apply', '-f', '-'], JSON.stringify(httpRouteToWeb(namespace, host)));
  const answer = await eventually(
    'the router to serve the new HTTPRoute',
    async () => {
      const response = await throughRouter(router.http, host);
      return response.status === 200 ? response : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 500 },
  );
  assert.equal(answer.headers['x-demo-version'], '4.0.0');
  const gateway = await cluster.kubectl(['get', 'gateway', LOCAL_GATEWAY, '-n', ROUTER_NAMESPACE, '-o', 'name']);
  assert.equal(gateway.trim(), `gateway.gateway.networking.k8s.io/${LOCAL_GATEWAY}`);
});

test("podinfo runs as Flagger's docs deploy it, with its args as written, and answers through the router", async (t) => {
  const cluster = await useCluster();
  const { router } = dataPlane();
  const namespace = await freshNamespace(t, cluster);
  await cluster.client.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'podinfo', namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'podinfo' } },
      template: {
        metadata: { labels: { app: 'podinfo' } },
        spec: {
          containers: [
            {
              name: 'podinfod',
              image: 'ghcr.io/stefanprodan/podinfo:6.9.2',
              command: ['./podinfo', '--port=9898', '--level=info', '--random-delay=false', '--random-error=false'],
              env: [{ name: 'PODINFO_UI_MESSAGE', value: 'hello from a local pod' }],
              ports: [{ name: 'http', containerPort: 9898 }],
              readinessProbe: { httpGet: { path: '/readyz', port: 9898 }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  });
  await cluster.client.create(SERVICES, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'podinfo', namespace },
    spec: { selector: { app: 'podinfo' }, ports: [{ name: 'http', port: 9898, targetPort: 'http' }] },
  });
  await cluster.kubectl(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'IngressRoute',
      metadata: { name: 'podinfo', namespace },
      spec: {
        entryPoints: ['web'],
        routes: [{ match: `Host(\`podinfo.${namespace}.test\`)`, kind: 'Rule', services: [{ name: 'podinfo', port: 9898 }] }],
      },
    }),
  );
  const answer = await eventually('podinfo to answer through the router', async () => {
    const routed = await throughRouter(router.http, `podinfo.${namespace}.test`);
    return routed.status === 200 ? (JSON.parse(routed.body) as { version: string; message: string; hostname: string }) : undefined;
  });
  assert.equal(answer.version, '6.9.2', 'the version it was built with');
  assert.equal(answer.message, 'hello from a local pod', 'its env as written');
  assert.match(answer.hostname, /^podinfo-[0-9a-z]+-[0-9a-z]+$/, 'its hostname is its pod name');
});

test('a container the runtime cannot run says why: a command its image lacks, and a port its other container took', async (t) => {
  const cluster = await useCluster();
  dataPlane();
  const namespace = await freshNamespace(t, cluster);
  await cluster.client.create(DEPLOYMENTS, demoDeployment(namespace, 'shell', '1.0.0', 1, {}, { command: ['sh', '-c', 'echo hi'] }));
  const sidecar = { name: 'twin', image: 'ghcr.io/wren-dev/demo-app:1.0.0', ports: [{ containerPort: 8080 }] };
  await cluster.client.create(DEPLOYMENTS, demoDeployment(namespace, 'clash', '1.0.0', 1, {}, {}));
  await cluster.kubectl([
    'patch',
    'deployment',
    'clash',
    '-n',
    namespace,
    '--type=json',
    '-p',
    JSON.stringify([{ op: 'add', path: '/spec/template/spec/containers/-', value: sidecar }]),
  ]);
  const shell = await eventually('the unknown command to be reported', async () => {
    const [pod] = await podsOf(cluster, namespace, 'shell');
    return pod?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerError' ? pod : undefined;
  });
  assert.match(
    shell.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '',
    /command \["sh","-c","echo hi"\] is not in the demo-app image/,
  );
  const clash = await eventually(
    'one of the twins to crash on the taken port and back off',
    async () => {
      const pods = (await podsOf(cluster, namespace, 'clash')).filter((pod) => (pod.status?.containerStatuses?.length ?? 0) === 2);
      return pods.find((candidate) =>
        candidate.status?.containerStatuses?.some(
          (status) => status.restartCount >= 1 && status.state?.waiting?.reason === 'CrashLoopBackOff',
        ),
      );
    },
    { timeoutMs: 90_000 },
  );
  assert.equal(isReady(clash), false, 'a pod with a crashing container is not Ready');
  assert.ok(
    clash.status?.containerStatuses?.some((status) => status.ready),
    'the twin that got the port keeps serving',
  );
});
