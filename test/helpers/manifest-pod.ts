// Runs one container of a Deployment manifest the way a kubelet runs the image our Dockerfile builds,
// as closely as a machine without a container engine allows:
//   - the image's user, workdir, environment and entrypoint come from the Dockerfile's last stage;
//     the manifest's args, env (fieldRef included), securityContext and volumes from the manifest;
//   - bubblewrap gives it a read-only root (the project is /app, as in the image), the manifest's
//     emptyDir volumes as the only writable places, and the uid and gid the manifest asks for;
//   - it runs in a network namespace of its own, as a pod does; the API server (and any other host
//     loopback port the test names) is relayed into it over Unix sockets, nothing listens elsewhere;
//   - in-cluster configuration: KUBERNETES_SERVICE_HOST/PORT and a ServiceAccount token from
//     TokenRequest mounted where client libraries look for it, so only that account's RBAC applies.
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, fetch } from 'undici';
import { parseAllDocuments } from 'yaml';
import { pemFile } from '../../src/kube/cluster-access.ts';
import { runChecked } from '../../src/localcluster/run-command.ts';
import type { Deployment } from '../../src/workload/workload-types.ts';
import type { TestCluster } from './cluster.ts';
import { ensureBubblewrap, ensureDebianPackage } from '../../src/localcluster/debian-packages.ts';
import { hostRelay } from './netns-bridge.ts';
import { LoggedProcess } from './operator-process.ts';
import { serviceAccountToken } from './service-account.ts';
import { imageConfig, type ImageConfig } from './dockerfile-image.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BRIDGE = fileURLToPath(new URL('./netns-bridge.ts', import.meta.url));
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export const ensureSandboxTools = async () => {
  await ensureBubblewrap();
  await ensureDebianPackage('/usr/sbin/ip', 'iproute2');
};

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string } };
}
interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
interface ContainerSpec {
  name: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  volumeMounts?: VolumeMount[];
  securityContext?: { readOnlyRootFilesystem?: boolean; runAsUser?: number; runAsGroup?: number; allowPrivilegeEscalation?: boolean };
}
interface PodSpec {
  containers: ContainerSpec[];
  volumes?: { name: string; emptyDir?: object }[];
  securityContext?: { runAsUser?: number; runAsGroup?: number; runAsNonRoot?: boolean };
  serviceAccountName?: string;
}

export interface ManifestPodOptions {
  deployment: Deployment;
  podName: string;
  /** Host loopback ports reachable inside the pod at the same 127.0.0.1 port (the API server's first). */
  hostPorts: number[];
  /** Ports the container listens on that the test wants to call (through fetch). */
  containerPorts: number[];
}

export class ManifestPod extends LoggedProcess {
  private readonly sockets: Map<number, string>;

  constructor(command: string, args: string[], sockets: Map<number, string>) {
    super(command, args, { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' });
    this.sockets = sockets;
  }

  /** An HTTP GET to a port the container listens on, through the pod's network namespace. */
  async get(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    const socketPath = this.sockets.get(port);
    if (!socketPath) throw new Error(`port ${port} was not exposed to the test`);
    const agent = new Agent({ connect: { socketPath } });
    try {
      const response = await fetch(`http://pod${path}`, { ...init, dispatcher: agent });
      return { status: response.status, body: await response.text() };
    } finally {
      await agent.close();
    }
  }
}

function fieldValue(path: string, pod: { name: string; namespace: string }): string {
  if (path === 'metadata.name') return pod.name;
  if (path === 'metadata.namespace') return pod.namespace;
  throw new Error(`fieldRef ${path} is not supported by the test pod runner`);
}

/** bwrap arguments that give the container the filesystem, user and environment the manifest and image describe. */
export function sandboxArgs(
  pod: PodSpec,
  container: ContainerSpec,
  image: ImageConfig,
  context: { podName: string; namespace: string; serviceAccountDir: string; apiServerPort: number; nodeBinDir: string },
): string[] {
  const uid = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser ?? image.user?.uid ?? 0;
  const gid = container.securityContext?.runAsGroup ?? pod.securityContext?.runAsGroup ?? image.user?.gid ?? 0;
  if (pod.securityContext?.runAsNonRoot && uid === 0) throw new Error('runAsNonRoot with uid 0: a kubelet would refuse to start it');
  const args = ['--unshare-user', '--uid', String(uid), '--gid', String(gid), '--unshare-pid', '--die-with-parent', '--new-session'];
  // The image: the operating system read-only, and the project where the Dockerfile copies it.
  args.push('--ro-bind', '/usr', '/usr', '--ro-bind', '/etc', '/etc');
  for (const link of ['lib', 'lib64', 'bin', 'sbin']) args.push('--symlink', `usr/${link}`, `/${link}`);
  args.push('--ro-bind', PROJECT_ROOT, image.workdir, '--ro-bind', context.nodeBinDir, '/opt/node/bin');
  // A git worktree whose node_modules links to another checkout's: that checkout's, read-only, where
  // the link points (the image has its node_modules in place).
  const modules = join(PROJECT_ROOT, 'node_modules');
  if (lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) {
    args.push('--ro-bind', realpathSync(modules), resolve(image.workdir, readlinkSync(modules)));
  }
  args.push('--proc', '/proc', '--dev', '/dev');
  args.push('--ro-bind', context.serviceAccountDir, SERVICE_ACCOUNT_DIR);
  const emptyDirs = new Set((pod.volumes ?? []).filter((volume) => volume.emptyDir).map((volume) => volume.name));
  for (const mount of container.volumeMounts ?? []) {
    if (!emptyDirs.has(mount.name)) throw new Error(`volume ${mount.name} is not an emptyDir; the test pod runner supports only those`);
    args.push('--tmpfs', mount.mountPath);
  }
  if (container.securityContext?.readOnlyRootFilesystem) args.push('--remount-ro', '/');
  const env: Record<string, string> = {
    PATH: '/opt/node/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: '/',
    HOSTNAME: context.podName,
    KUBERNETES_SERVICE_HOST: '127.0.0.1',
    KUBERNETES_SERVICE_PORT: String(context.apiServerPort),
    KUBERNETES_SERVICE_PORT_HTTPS: String(context.apiServerPort),
    ...image.env,
  };
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.fieldRef)
      env[variable.name] = fieldValue(variable.valueFrom.fieldRef.fieldPath, { name: context.podName, namespace: context.namespace });
    else throw new Error(`env ${variable.name}: only value and fieldRef are supported by the test pod runner`);
  }
  args.push('--clearenv');
  for (const [name, value] of Object.entries(env)) args.push('--setenv', name, value);
  args.push('--chdir', image.workdir, '--');
  args.push(...(container.command ?? image.entrypoint), ...(container.args ?? (container.command ? [] : image.cmd)));
  return args;
}

async function startBridge(netns: string, rules: string[]): Promise<ChildProcess> {
  const bridge = spawn('ip', ['netns', 'exec', netns, process.execPath, BRIDGE, ...rules], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    bridge.stdout?.once('data', () => resolve());
    bridge.once('exit', (code) => reject(new Error(`the network bridge exited (${code})`)));
  });
  return bridge;
}

/** Starts the container; everything it needs is torn down after the test. */
export async function runManifestPod(
  t: { after(fn: () => Promise<unknown> | void): void },
  cluster: TestCluster,
  options: ManifestPodOptions,
): Promise<ManifestPod> {
  await ensureSandboxTools();
  const pod = options.deployment.spec?.template?.spec as unknown as PodSpec;
  const namespace = options.deployment.metadata?.namespace ?? 'default';
  const [container] = pod.containers;
  if (!container) throw new Error('the Deployment has no container');
  const image = imageConfig(readFileSync(join(PROJECT_ROOT, 'Dockerfile'), 'utf8'));

  const work = mkdtempSync(join(tmpdir(), 'wren-pod-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const serviceAccountDir = join(work, 'serviceaccount');
  mkdirSync(serviceAccountDir);
  const caFile = pemFile(cluster.access.tls.ca);
  if (!caFile) throw new Error('the test cluster has no CA file');
  writeFileSync(join(serviceAccountDir, 'ca.crt'), readFileSync(caFile));
  writeFileSync(join(serviceAccountDir, 'namespace'), namespace);
  writeFileSync(join(serviceAccountDir, 'token'), await serviceAccountToken(cluster, namespace, pod.serviceAccountName ?? 'default'));

  const netns = `wren-pod-${randomBytes(3).toString('hex')}`;
  await runChecked('ip', ['netns', 'add', netns]);
  t.after(() => runChecked('ip', ['netns', 'delete', netns]).catch(() => undefined));
  await runChecked('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
  const relays: Server[] = [];
  t.after(() => relays.forEach((relay) => relay.close()));
  const rules: string[] = [];
  for (const port of options.hostPorts) {
    const socket = join(work, `out-${port}.sock`);
    relays.push(await hostRelay(socket, port));
    rules.push(`out:${port}=${socket}`);
  }
  const sockets = new Map<number, string>();
  for (const port of options.containerPorts) {
    const socket = join(work, `in-${port}.sock`);
    sockets.set(port, socket);
    rules.push(`in:${socket}=${port}`);
  }
  const bridge = await startBridge(netns, rules);
  t.after(() => void bridge.kill('SIGKILL'));

  const apiServerPort = Number(new URL(cluster.access.server).port);
  const args = sandboxArgs(pod, container, image, {
    podName: options.podName,
    namespace,
    serviceAccountDir,
    apiServerPort,
    nodeBinDir: dirname(process.execPath),
  });
  const running = new ManifestPod('ip', ['netns', 'exec', netns, 'bwrap', ...args], sockets);
  t.after(async () => {
    await running.stop();
  });
  return running;
}

/** The Deployment named `name` from `kubectl kustomize DIR`. */
export async function deploymentFromKustomization(cluster: TestCluster, dir: string, name: string): Promise<Deployment> {
  const rendered = await cluster.kubectl(['kustomize', dir]);
  const found = parseAllDocuments(rendered)
    .map((document) => document.toJSON() as Deployment)
    .find((object) => object?.kind === 'Deployment' && object.metadata?.name === name);
  if (!found) throw new Error(`no Deployment ${name} in ${dir}`);
  return found;
}
