// The load tester as users run it: `wren loadtester`, a separate process.
import { spawn } from 'node:child_process';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.ts';
import { freePort } from './prometheus.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export async function startLoadTester(t: TestContext): Promise<{ url: string; post(path: string, body: unknown): Promise<number> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN, 'loadtester', '--address', `127.0.0.1:${port}`], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  await eventually('the load tester to listen', async () => (await fetch(`${url}/healthz`)).ok);
  return {
    url,
    async post(path, body) {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      return response.status;
    },
  };
}
