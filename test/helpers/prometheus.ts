// A real Prometheus (Debian's package) for one test: scrapes the given targets every second.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { ensurePrometheus, PROMETHEUS_BINARY } from './debian-packages.ts';
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

export async function startPrometheus(t: TestContext, targets: string[]): Promise<{ url: string }> {
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
  const child = spawn(
    PROMETHEUS_BINARY,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  t.after(() => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  await eventually(`Prometheus to be ready${stderr ? `: ${stderr.slice(-300)}` : ''}`, async () => (await fetch(`${url}/-/ready`)).ok, {
    timeoutMs: 30_000,
  });
  return { url };
}

/** Waits until Prometheus has scraped every target at least once. */
export async function waitForScrapes(url: string): Promise<void> {
  await eventually('Prometheus to scrape its targets', async () => {
    const body = (await (await fetch(`${url}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string }[] } };
    return body.data.activeTargets.length > 0 && body.data.activeTargets.every((target) => target.health === 'up');
  });
}
