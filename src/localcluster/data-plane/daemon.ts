// The data plane's own process (`wren cluster data-plane`, started by `wren cluster up`): the pod
// runtime, the router and Prometheus, until it is told to stop; then every pod process, namespace
// and the bridge go with it.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../../errors.ts';
import { KubeClient } from '../../kube/client.ts';
import { EventRecorder } from '../../kube/events.ts';
import { pemFile, type ClusterAccess } from '../../kube/cluster-access.ts';
import { loadClusterAccess } from '../../kube/kubeconfig.ts';
import { KubeTransport } from '../../kube/transport.ts';
import type { Logger } from '../../log.ts';
import { BIN_LINK_DIR, CLUSTER_DIR, KUBECONFIG_PATH } from '../paths.ts';
import type { LocalPod } from '../runtime/local-pod.ts';
import { podTargets } from '../runtime/pod-discovery.ts';
import { PodRuntime } from '../runtime/pod-runtime.ts';
import { removeNetwork } from '../runtime/pod-network.ts';
import { startPrometheus } from './metrics-server.ts';
import { applyRouterObjects, checkRouterAccess, readRouterToken } from './router-access-keeper.ts';
import { ROUTER_NAMESPACE, ROUTER_SERVICE_ACCOUNT, routerStaticConfig } from './router-config.ts';
import { clearState, DATA_PLANE_DIR, dataPlanePorts, stateFor, writeState } from './state.ts';
import { SupervisedProcess } from './supervised-process.ts';

const WREN_MAIN = fileURLToPath(new URL(`../../cli/main${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const READY_TIMEOUT_MS = 120_000;
const KEEP_ACCESS_EVERY_MS = 10_000;

async function routerToken(client: KubeClient): Promise<string> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const token = await readRouterToken(client).catch(() => undefined);
    if (token) return token;
    if (Date.now() > deadline)
      throw new Error(`the token of ServiceAccount ${ROUTER_NAMESPACE}/${ROUTER_SERVICE_ACCOUNT} was never issued`);
    await sleep(250);
  }
}

/** Prometheus' http_sd_configs endpoint: the cluster's pods with kubernetes_sd_configs' labels. */
function servePodDiscovery(port: number, pods: () => LocalPod[]): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url !== '/pods') return void response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(podTargets(pods())));
  });
  return new Promise((resolve, reject) => server.listen(port, '127.0.0.1', () => resolve(server)).once('error', reject));
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

async function waitFor(what: string, url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answers(url))) {
    if (Date.now() > deadline) throw new Error(`${what} did not answer at ${url}`);
    await sleep(250);
  }
}

export async function runDataPlane(log: Logger): Promise<number> {
  if (!existsSync(KUBECONFIG_PATH)) throw new Error(`no kubeconfig at ${KUBECONFIG_PATH}: run wren cluster up`);
  const access = loadClusterAccess(KUBECONFIG_PATH) as ClusterAccess;
  const caFile = pemFile(access.tls.ca);
  if (!caFile) throw new Error('the local cluster kubeconfig names no CA file');
  const client = new KubeClient(new KubeTransport(access, 'wren-local-data-plane'));
  const ports = await dataPlanePorts();
  mkdirSync(DATA_PLANE_DIR, { recursive: true });

  const runtime = new PodRuntime({
    client,
    events: new EventRecorder(client, log, hostname(), { source: 'kubelet', reporting: 'wren.dev/local-kubelet' }),
    log: log.child({ component: 'pod-runtime' }),
    executables: { node: process.execPath, wrenMain: WREN_MAIN, podinfo: join(BIN_LINK_DIR, 'podinfo') },
    podLogDir: join(CLUSTER_DIR, 'pods'),
  });
  const routerConfig = join(DATA_PLANE_DIR, 'traefik.yml');
  const writeRouterConfig = (token: string) =>
    writeFileSync(
      routerConfig,
      routerStaticConfig({
        httpPort: ports.routerHttp,
        metricsPort: ports.routerMetrics,
        apiServer: access.server,
        token,
        caFile,
      }),
      { mode: 0o600 },
    );
  let token = await routerToken(client);
  writeRouterConfig(token);
  const router = new SupervisedProcess(
    'traefik',
    join(BIN_LINK_DIR, 'traefik'),
    [`--configFile=${routerConfig}`],
    join(DATA_PLANE_DIR, 'traefik.log'),
    log,
  );
  let prometheus: SupervisedProcess | undefined;
  let discovery: Server | undefined;
  let keeping = false;
  const keepRouterAccess = async () => {
    if (keeping) return;
    keeping = true;
    try {
      const seen = await checkRouterAccess(client, token);
      if (seen.action === 'apply') {
        log.warn({ namespace: ROUTER_NAMESPACE }, "the router's ServiceAccount or Gateway is gone; applying them again");
        await applyRouterObjects(client, ports.routerHttp);
      } else if (seen.action === 'restart-router' && seen.token) {
        log.warn('the router has a new ServiceAccount token; restarting it');
        token = seen.token;
        writeRouterConfig(token);
        router.restart();
      }
    } catch (error) {
      log.debug({ err: errorMessage(error) }, "could not check the router's access; trying again");
    } finally {
      keeping = false;
    }
  };
  const keeper = setInterval(() => void keepRouterAccess(), KEEP_ACCESS_EVERY_MS);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log.info('stopping the data plane');
      clearInterval(keeper);
      await Promise.allSettled([router.stop(), prometheus?.stop(), runtime.stop()]);
      discovery?.close();
      await removeNetwork().catch((error) => log.warn({ err: errorMessage(error) }, 'could not remove the pod network'));
      clearState();
    })());
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop().then(resolve));
  });
  try {
    await runtime.start();
    router.start();
    discovery = await servePodDiscovery(ports.podDiscovery, () => runtime.allPods());
    prometheus = startPrometheus(
      join(DATA_PLANE_DIR, 'prometheus'),
      ports.prometheus,
      { podDiscovery: `http://127.0.0.1:${ports.podDiscovery}/pods`, routerMetrics: `127.0.0.1:${ports.routerMetrics}` },
      log,
    );
    const state = stateFor(process.pid, ports);
    await waitFor('the router', `${state.router.metrics}/ping`);
    await waitFor('Prometheus', `${state.prometheus}/-/ready`);
    writeState(state);
    log.info({ ...state }, 'data plane ready');
  } catch (error) {
    log.error({ err: errorMessage(error) }, 'the data plane could not start');
    await stop();
    return 1;
  }
  await stopped;
  return 0;
}
