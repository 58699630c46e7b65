// The embedded local control plane: real etcd, kube-apiserver, kube-controller-manager and
// kube-scheduler, plus KWOK for fake nodes whose pods become Ready without containers.
// kwokctl orchestrates the processes (certificates, flags, kubeconfig); this file only decides
// what to ask of it and waits until the cluster is really usable.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureBinaries, type Progress } from './build-binaries.ts';
import { AUDIT_POLICY, AUDIT_POLICY_PATH } from './audit.ts';
import { CLUSTER_NAME } from './cluster-name.ts';
import { CLUSTER_DIR, KUBECONFIG_PATH, KWOK_WORKDIR } from './paths.ts';
import { runChecked, runCommand } from './run-command.ts';
import { dataPlaneDown, dataPlaneUp, type ControlPlaneTools } from './data-plane/data-plane.ts';
import type { DataPlaneState } from './data-plane/state.ts';

export { CLUSTER_NAME };

// Every control-plane server listens on loopback only (kwokctl's default is every address).
const LOOPBACK_CONFIG_PATH = join(CLUSTER_DIR, 'kwokctl-loopback.yaml');
const LOOPBACK_CONFIG = `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  bindAddress: 127.0.0.1
`;
export const NODE_COUNT = 3;
const READY_TIMEOUT_MS = 180_000;

function kwokEnv(binaries: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KWOK_WORKDIR,
    KWOK_KUBECTL_BINARY: binaries.kubectl,
    // kwokctl must never reach for the internet: every binary it needs is given locally.
    KWOK_KUBE_BINARY_PREFIX: join(KWOK_WORKDIR, 'no-downloads'),
  };
}

/** kwokctl logs JSON lines; show their message and the fields that matter to a person. */
function kwokctlMessage(line: string): string {
  try {
    const entry = JSON.parse(line) as { msg?: string; elapsed?: { human?: string }; err?: string };
    const details = [entry.elapsed?.human, entry.err].filter(Boolean).join(', ');
    return `kwokctl: ${entry.msg ?? line}${details ? ` (${details})` : ''}`;
  } catch {
    return `kwokctl: ${line}`;
  }
}

function clusterExists(): boolean {
  return existsSync(join(KWOK_WORKDIR, 'clusters', CLUSTER_NAME, 'kwok.yaml'));
}

async function kubectl(binaries: Record<string, string>, args: string[]) {
  return runCommand(binaries.kubectl as string, ['--kubeconfig', KUBECONFIG_PATH, ...args]);
}

async function isServing(binaries: Record<string, string>): Promise<boolean> {
  if (!existsSync(KUBECONFIG_PATH)) return false;
  const result = await kubectl(binaries, ['get', '--raw', '/readyz', '--request-timeout=3s']);
  return result.code === 0 && result.stdout.trim() === 'ok';
}

async function waitUntil(what: string, check: () => Promise<boolean>, progress: Progress): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let reported = Date.now();
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`local control plane: timed out waiting for ${what}`);
    if (Date.now() - reported > 10_000) {
      progress(`  still waiting for ${what}`);
      reported = Date.now();
    }
    await sleep(250);
  }
}

/** Waits for what tests and the operator rely on: API ready, nodes Ready, service accounts issued. */
async function waitUsable(binaries: Record<string, string>, progress: Progress): Promise<void> {
  await waitUntil('the API server', () => isServing(binaries), progress);
  await waitUntil(
    `${NODE_COUNT} Ready nodes`,
    async () => {
      const result = await kubectl(binaries, [
        'get',
        'nodes',
        '-o',
        'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
      ]);
      return result.code === 0 && result.stdout.split('\n').filter((status) => status === 'True').length >= NODE_COUNT;
    },
    progress,
  );
  await waitUntil(
    'the default ServiceAccount',
    async () => {
      const result = await kubectl(binaries, ['get', 'serviceaccount', 'default', '-n', 'default']);
      return result.code === 0;
    },
    progress,
  );
}

export interface ClusterInfo {
  kubeconfig: string;
  /** True when this call started the cluster (false: it was already running). */
  started: boolean;
  /** The router's and Prometheus' addresses; undefined when the data plane is off. */
  dataPlane?: DataPlaneState;
}

export interface ClusterOptions {
  /** Bring up the local data plane (pods that serve, the router, Prometheus) too; default true. */
  dataPlane?: boolean;
}

function controlPlaneTools(binaries: Record<string, string>): ControlPlaneTools {
  return {
    kubectl: (args, input) => runChecked(binaries.kubectl as string, ['--kubeconfig', KUBECONFIG_PATH, ...args], { input }),
    kwokctl: async (args) => {
      await runChecked(binaries.kwokctl as string, args, { env: kwokEnv(binaries) });
    },
  };
}

export async function clusterUp(progress: Progress, options: ClusterOptions = {}): Promise<ClusterInfo> {
  const controlPlane = await controlPlaneUp(progress);
  if (options.dataPlane === false) return controlPlane;
  const binaries = await ensureBinaries(progress);
  const dataPlane = await dataPlaneUp(controlPlaneTools(binaries), progress);
  return { ...controlPlane, ...(dataPlane ? { dataPlane } : {}) };
}

async function controlPlaneUp(progress: Progress): Promise<ClusterInfo> {
  const binaries = await ensureBinaries(progress);
  if (await isServing(binaries)) {
    await waitUsable(binaries, progress);
    return { kubeconfig: KUBECONFIG_PATH, started: false };
  }
  mkdirSync(CLUSTER_DIR, { recursive: true });
  const env = kwokEnv(binaries);
  const onOutput = (line: string) => progress(`  ${kwokctlMessage(line)}`);
  const started = Date.now();
  if (clusterExists()) {
    progress(`starting the local control plane "${CLUSTER_NAME}"`);
    await runChecked(binaries.kwokctl as string, ['start', 'cluster', '--name', CLUSTER_NAME], { env, onOutput });
  } else {
    progress(`creating the local control plane "${CLUSTER_NAME}"`);
    writeFileSync(AUDIT_POLICY_PATH, AUDIT_POLICY);
    writeFileSync(LOOPBACK_CONFIG_PATH, LOOPBACK_CONFIG);
    await runChecked(
      binaries.kwokctl as string,
      [
        'create',
        'cluster',
        '--name',
        CLUSTER_NAME,
        '--runtime',
        'binary',
        '--kube-authorization',
        '--kube-admission',
        '--kubeconfig',
        KUBECONFIG_PATH,
        '--kube-apiserver-binary',
        binaries['kube-apiserver'] as string,
        '--kube-controller-manager-binary',
        binaries['kube-controller-manager'] as string,
        '--kube-scheduler-binary',
        binaries['kube-scheduler'] as string,
        '--kwok-controller-binary',
        binaries.kwok as string,
        '--etcd-binary',
        binaries.etcd as string,
        '--kube-audit-policy',
        AUDIT_POLICY_PATH,
        '--config',
        LOOPBACK_CONFIG_PATH,
        // Controllers at full speed: the defaults (20 requests/s for kube-controller-manager) make a
        // thousand-Deployment benchmark measure the control plane instead of Wren.
        '--disable-qps-limits',
        // kwokctl 0.8 indexes its patches by the position of a component's first --extra-args, not
        // by the component's own count: each component's first argument must come before any
        // second one of another (kube-apiserver first, kube-controller-manager second).
        '--extra-args',
        'kube-apiserver=audit-log-maxsize=200',
        // More workers for the controllers a large fleet keeps busy, as a cluster with thousands of
        // Deployments is tuned: with the default 5, a 10,000-canary benchmark's new primaries waited
        // ten minutes in the Deployment and ReplicaSet controllers' queues while their pods could run.
        '--extra-args',
        'kube-controller-manager=concurrent-deployment-syncs=25',
        '--extra-args',
        'kube-controller-manager=concurrent-replicaset-syncs=25',
        '--extra-args',
        'kube-controller-manager=concurrent-service-endpoint-syncs=10',
        // Room for thousands of Services (three per Canary); the default /24 holds 254.
        '--extra-args',
        'kube-apiserver=service-cluster-ip-range=10.96.0.0/16',
        '--extra-args',
        'kube-apiserver=audit-log-maxbackup=1',
        '--wait',
        '2m',
      ],
      { env, onOutput },
    );
    await runChecked(binaries.kwokctl as string, ['scale', 'node', '--name', CLUSTER_NAME, '--replicas', String(NODE_COUNT)], {
      env,
      onOutput,
    });
  }
  await waitUsable(binaries, progress);
  progress(`local control plane ready in ${((Date.now() - started) / 1000).toFixed(1)}s; kubeconfig: ${KUBECONFIG_PATH}`);
  return { kubeconfig: KUBECONFIG_PATH, started: true };
}

export async function clusterDown(progress: Progress): Promise<void> {
  await dataPlaneDown(progress);
  if (!clusterExists()) {
    progress('no local control plane to stop');
    return;
  }
  const binaries = await ensureBinaries(progress);
  await runChecked(binaries.kwokctl as string, ['delete', 'cluster', '--name', CLUSTER_NAME], {
    env: kwokEnv(binaries),
    onOutput: (line) => progress(`  ${kwokctlMessage(line)}`),
  });
  progress('local control plane stopped and deleted');
}
