// What `wren cluster info` reports and `wren cluster down` needs: the data plane's process and the
// loopback addresses of its router and Prometheus, kept in the cluster's state directory. The ports
// are chosen once per cluster and kept, so addresses stay the same across restarts.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CLUSTER_DIR } from '../paths.ts';

export const DATA_PLANE_DIR = join(CLUSTER_DIR, 'data-plane');
const STATE_FILE = join(CLUSTER_DIR, 'data-plane.json');
const PORTS_FILE = join(CLUSTER_DIR, 'data-plane-ports.json');

export interface DataPlanePorts {
  routerHttp: number;
  routerMetrics: number;
  prometheus: number;
  podDiscovery: number;
}

export interface DataPlaneState {
  pid: number;
  router: { http: string; metrics: string };
  prometheus: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function dataPlanePorts(): Promise<DataPlanePorts> {
  const known = existsSync(PORTS_FILE) ? (JSON.parse(readFileSync(PORTS_FILE, 'utf8')) as Partial<DataPlanePorts>) : {};
  if (known.routerHttp && known.routerMetrics && known.prometheus && known.podDiscovery) return known as DataPlanePorts;
  const ports = {
    routerHttp: known.routerHttp ?? (await freePort()),
    routerMetrics: known.routerMetrics ?? (await freePort()),
    prometheus: known.prometheus ?? (await freePort()),
    podDiscovery: known.podDiscovery ?? (await freePort()),
  };
  writeFileSync(PORTS_FILE, `${JSON.stringify(ports, null, 2)}\n`);
  return ports;
}

export function stateFor(pid: number, ports: DataPlanePorts): DataPlaneState {
  return {
    pid,
    router: { http: `http://127.0.0.1:${ports.routerHttp}`, metrics: `http://127.0.0.1:${ports.routerMetrics}` },
    prometheus: `http://127.0.0.1:${ports.prometheus}`,
  };
}

export function readState(): DataPlaneState | undefined {
  if (!existsSync(STATE_FILE)) return undefined;
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as DataPlaneState;
  } catch {
    return undefined;
  }
}

export function writeState(state: DataPlaneState): void {
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

export function clearState(): void {
  rmSync(STATE_FILE, { force: true });
}
