// The load tester as users run it: `wren loadtester`, a separate process, with a token in a file (as a
// mounted Secret) unless started --insecure.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.ts';
import { freePort } from './prometheus.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface LoadTesterOptions {
  /** --allow-target patterns, e.g. the origin of the app that load is sent to. */
  allowTargets?: string[];
  /** --allow-command patterns. */
  allowCommands?: string[];
  /** Start without a token (--insecure). */
  insecure?: boolean;
  /** Where the token comes from: a file (default, as a mounted Secret) or WREN_LOADTESTER_TOKEN. */
  tokenFrom?: 'file' | 'env';
}

export interface LoadTesterProcess {
  url: string;
  /** The token it requires; undefined when started --insecure. */
  token: string | undefined;
  /** The file it reads the token from; undefined when started --insecure or with the token in its environment. */
  tokenFile: string | undefined;
  /** POSTs JSON with the token (none when --insecure) and returns the status. */
  post(path: string, body: unknown): Promise<number>;
  /** POSTs JSON with the given token (undefined: no Authorization header). */
  request(path: string, body: unknown, token: string | undefined): Promise<{ status: number; text: string }>;
  /** What it has written to stdout and stderr so far (its log). */
  output(): string;
}

export async function startLoadTester(t: TestContext, options: LoadTesterOptions = {}): Promise<LoadTesterProcess> {
  const port = await freePort();
  let token: string | undefined;
  let tokenFile: string | undefined;
  const args = ['loadtester', '--address', `127.0.0.1:${port}`];
  const env = { ...process.env };
  delete env.WREN_LOADTESTER_TOKEN;
  if (options.insecure) args.push('--insecure');
  else if (options.tokenFrom === 'env') {
    token = randomBytes(24).toString('base64url');
    env.WREN_LOADTESTER_TOKEN = token;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'wren-loadtester-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    token = randomBytes(24).toString('base64url');
    tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${token}\n`);
    args.push('--token-file', tokenFile);
  }
  for (const target of options.allowTargets ?? []) args.push('--allow-target', target);
  for (const command of options.allowCommands ?? []) args.push('--allow-command', command);
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  t.after(() => child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  let listening = false;
  const exitedEarly = new Promise<void>((resolve) => child.once('exit', () => resolve())).then(() => {
    if (!listening) throw new Error(`wren loadtester ${args.join(' ')} exited before it listened:\n${output}`);
  });
  await Promise.race([eventually('the load tester to listen', async () => (await fetch(`${url}/healthz`)).ok), exitedEarly]);
  listening = true;
  const request = async (path: string, body: unknown, withToken: string | undefined) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(withToken === undefined ? {} : { Authorization: `Bearer ${withToken}` }) },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
  return {
    url,
    token,
    tokenFile,
    async post(path, body) {
      return (await request(path, body, token)).status;
    },
    request,
    output: () => output,
  };
}
