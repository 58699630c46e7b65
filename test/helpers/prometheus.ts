// A real Prometheus (Debian's package) for one test: scrapes the given targets every second.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { ensurePrometheus, PROMETHEUS_BINARY } from '../../src/localcluster/debian-packages.ts';
import { eventually } from './eventually.ts';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface TestPrometheus {
  url: string;
  /** Kills the server (as a crash or an outage would); its data stays on disk. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<void>;
}

export async function startPrometheus(t: TestContext, targets: string[]): Promise<TestPrometheus> {
  await ensurePrometheus();
  const dir = mkdtempSync(join(tmpdir(), 'wren-prometheus-'));
  const config = `global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: app
    honor_labels: true
    static_configs:
      - targets: [${targets.map((target) => JSON.stringify(target)).join(', ')}]
`;
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(
      PROMETHEUS_BINARY,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child = started;
    let stderr = '';
    started.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    await eventually(`Prometheus to be ready${stderr ? `: ${stderr.slice(-300)}` : ''}`, async () => (await fetch(`${url}/-/ready`)).ok, {
      timeoutMs: 30_000,
    });
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  t.after(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  await start();
  return { url, stop, restart: start };
}

/** Waits until Prometheus has scraped every target at least once. */
export async function waitForScrapes(url: string): Promise<void> {
  await eventually('Prometheus to scrape its targets', async () => {
    const body = (await (await fetch(`${url}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string }[] } };
    return body.data.activeTargets.length > 0 && body.data.activeTargets.every((target) => target.health === 'up');
  });
}
