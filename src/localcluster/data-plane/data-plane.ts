// Bringing the local data plane up and down from `wren cluster up|down` (and `npm start`, `npm test`):
// check that this machine can make network namespaces, hand known-image pods from KWOK to the runtime,
// install the router's APIs and classes, and start (or stop) the data plane's own process.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import type { Progress } from '../build-binaries.ts';
import { CLUSTER_NAME } from '../cluster-name.ts';
import { ensureIproute2, ensurePrometheus } from '../debian-packages.ts';
import { applyProviderCrds } from '../module-crds.ts';
import { KWOK_WORKDIR } from '../paths.ts';
import { leavePodsToRuntime } from '../runtime/kwok-stages.ts';
import { networkUnavailable, removeNetwork } from '../runtime/pod-network.ts';
import { routerAccess, routerClasses } from './router-config.ts';
import { clearState, DATA_PLANE_DIR, dataPlanePorts, readState, type DataPlaneState } from './state.ts';

const WREN_MAIN = fileURLToPath(new URL(`../../cli/main${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;

export interface ControlPlaneTools {
  kubectl(args: string[], input?: string): Promise<string>;
  kwokctl(args: string[]): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** KWOK's pod stages skip pods of known images; when that changes, KWOK's controller restarts to read it. */
async function leaveKnownPodsToRuntime(tools: ControlPlaneTools, progress: Progress): Promise<void> {
  const clusterDir = join(KWOK_WORKDIR, 'clusters', CLUSTER_NAME);
  const configFile = join(clusterDir, 'kwok.yaml');
  const { text, changed } = leavePodsToRuntime(readFileSync(configFile, 'utf8'));
  if (!changed) return;
  writeFileSync(configFile, text);
  progress('handing pods of known images from KWOK to the local pod runtime (restarting kwok-controller)');
  const pid = Number(readFileSync(join(clusterDir, 'pids', 'kwok-controller.pid'), 'utf8').trim());
  if (pid && alive(pid)) process.kill(pid, 'SIGTERM');
  while (pid && alive(pid)) await sleep(100);
  // KWOK plays only the nodes whose Lease it holds; the stopped controller's Leases would keep the
  // new one away from every node until they expire. They are made again at once.
  await tools.kubectl(['delete', 'leases', '--all', '-n', 'kube-node-lease', '--ignore-not-found']);
  await tools.kwokctl(['start', 'cluster', '--name', CLUSTER_NAME]);
}

/** Starts the data plane unless it runs; undefined when this machine cannot run it (said once, with why). */
export async function dataPlaneUp(tools: ControlPlaneTools, progress: Progress): Promise<DataPlaneState | undefined> {
  const running = readState();
  if (running && alive(running.pid)) {
    await leaveKnownPodsToRuntime(tools, progress);
    return running;
  }
  clearState();
  await ensureIproute2().catch(() => undefined);
  const unavailable = await networkUnavailable();
  if (unavailable) {
    progress(`the local data plane is off: this machine cannot create network namespaces (${unavailable}); pods stay simulated by KWOK`);
    return undefined;
  }
  await ensurePrometheus();
  await leaveKnownPodsToRuntime(tools, progress);
  await applyProviderCrds(tools.kubectl, 'traefik');
  await applyProviderCrds(tools.kubectl, 'gatewayapi');
  const ports = await dataPlanePorts();
  await tools.kubectl(
    ['apply', '--server-side', '-f', '-'],
    [...routerAccess(), ...routerClasses(ports.routerHttp)].map((object) => `---\n${stringify(object)}`).join(''),
  );

  mkdirSync(DATA_PLANE_DIR, { recursive: true });
  const logFile = join(DATA_PLANE_DIR, 'data-plane.log');
  const output = openSync(logFile, 'a');
  const child = spawn(process.execPath, [WREN_MAIN, 'cluster', 'data-plane'], { detached: true, stdio: ['ignore', output, output] });
  closeSync(output);
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const state = readState();
    if (state && state.pid === child.pid) {
      progress(`local data plane ready: router ${state.router.http}, Prometheus ${state.prometheus}`);
      return state;
    }
    if (child.exitCode !== null || (child.pid !== undefined && !alive(child.pid))) {
      throw new Error(`the local data plane exited; see ${logFile}:\n${tail(logFile)}`);
    }
    if (Date.now() > deadline) throw new Error(`the local data plane did not become ready; see ${logFile}`);
    await sleep(250);
  }
}

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-15).join('\n') : '';
}

/** Stops the data plane's process and removes every pod process, namespace and the bridge. */
export async function dataPlaneDown(progress: Progress): Promise<void> {
  const state = readState();
  if (state && alive(state.pid)) {
    process.kill(state.pid, 'SIGTERM');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (alive(state.pid) && Date.now() < deadline) await sleep(100);
    if (alive(state.pid)) process.kill(state.pid, 'SIGKILL');
    progress('local data plane stopped');
  }
  await removeNetwork().catch(() => undefined);
  for (const pid of strayProcesses()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  clearState();
}

/** Processes started for the data plane (the router, Prometheus) that outlived it: their command lines name its directory. */
export function strayProcesses(): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(DATA_PLANE_DIR);
      } catch {
        return false;
      }
    })
    .map(Number);
}

export function dataPlaneInfo(): DataPlaneState | undefined {
  const state = readState();
  return state && alive(state.pid) ? state : undefined;
}
