// A real container registry on loopback for one test: Debian's docker-registry (distribution 2.8)
// with filesystem storage in a temporary directory, optionally demanding Basic auth (htpasswd) or
// Bearer tokens from a token server in the test process, and optionally sending push notifications.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runChecked } from '../../src/localcluster/run-command.ts';
import { RegistryTransport } from '../../src/imagepolicy/registry/registry-transport.ts';
import { ensureDebianPackage, ensureDockerRegistry } from '../../src/localcluster/debian-packages.ts';
import { eventually } from './eventually.ts';
import { freePort } from './prometheus.ts';
import { pushImage, type PushImageOptions } from './registry-push.ts';
import { startTokenServer, type TokenServer } from './registry-token-server.ts';

export type { PushImageOptions };

export interface ContainerRegistryOptions {
  /** none (default); basic: htpasswd; token: Bearer tokens from a token server in this process. */
  auth?: 'none' | 'basic' | 'token';
  /** Where the registry POSTs its event envelopes (pushes and pulls). */
  notifications?: { url: string; headers?: Record<string, string> };
}

export interface ContainerRegistry {
  /** 127.0.0.1:port, plain http. */
  host: string;
  /** What the registry (or its token server) accepts, when it demands auth. */
  credentials?: { username: string; password: string };
  /** Tokens handed out so far by the token server (0 without token auth). */
  tokenRequests(): number;
  /** Pushes a small image to host/path:tag and returns the digest the tag points at. */
  pushImage(path: string, tag: string, options?: PushImageOptions): Promise<{ digest: string }>;
  close(): Promise<void>;
}

// Whatever a test forgets to close still dies with the test process.
const leftovers = new Set<{ child: ChildProcess; dir: string }>();
process.on('exit', () => {
  for (const leftover of leftovers) {
    leftover.child.kill('SIGKILL');
    rmSync(leftover.dir, { recursive: true, force: true });
  }
});

export async function startContainerRegistry(options: ContainerRegistryOptions = {}): Promise<ContainerRegistry> {
  await ensureDockerRegistry();
  const dir = mkdtempSync(join(tmpdir(), 'wren-registry-'));
  const auth = options.auth ?? 'none';
  const credentials = auth === 'none' ? undefined : { username: 'wren-tester', password: randomBytes(12).toString('base64url') };
  let tokenServer: TokenServer | undefined;
  let child: ChildProcess | undefined;
  try {
    const authConfig =
      credentials && auth !== 'none' ? await authSection(auth, dir, credentials, (server) => (tokenServer = server)) : undefined;
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const configPath = join(dir, 'config.yml');
    writeFileSync(configPath, stringify(registryConfig(dir, host, authConfig, options.notifications)));
    // A clean environment: REGISTRY_* variables would override the config file.
    child = spawn('/usr/bin/docker-registry', ['serve', configPath], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const resources = { child, dir };
    leftovers.add(resources);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    const exited = new Promise<never>((_, reject) =>
      child?.once('exit', (code) => reject(new Error(`docker-registry exited (code ${code}) while starting: ${stderr}`))),
    );
    exited.catch(() => {}); // after a successful start, exiting is close()'s business
    await Promise.race([exited, eventually('the registry to answer /v2/', () => answers(host), { timeoutMs: 30_000 })]);

    const transport = new RegistryTransport({ insecure: true, credentials, actions: ['pull', 'push'] });
    const started = child;
    const server = tokenServer;
    return {
      host,
      ...(credentials ? { credentials } : {}),
      tokenRequests: () => server?.requests() ?? 0,
      pushImage: (path, tag, pushOptions) => pushImage(transport, { registry: host, path }, tag, pushOptions),
      async close() {
        started.kill('SIGKILL');
        await server?.close();
        rmSync(dir, { recursive: true, force: true });
        leftovers.delete(resources);
      },
    };
  } catch (error) {
    child?.kill('SIGKILL');
    await tokenServer?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function authSection(
  auth: 'basic' | 'token',
  dir: string,
  credentials: { username: string; password: string },
  onTokenServer: (server: TokenServer) => void,
): Promise<object> {
  if (auth === 'basic') {
    // The registry accepts bcrypt entries only; htpasswd -B writes them, reading the password from stdin.
    await ensureDebianPackage('/usr/bin/htpasswd', 'apache2-utils');
    const entry = await runChecked('htpasswd', ['-B', '-n', '-i', credentials.username], { input: credentials.password });
    const path = join(dir, 'htpasswd');
    writeFileSync(path, `${entry.trim()}\n`, { mode: 0o600 });
    return { htpasswd: { realm: 'wren-test-registry', path } };
  }
  const server = await startTokenServer(dir, credentials);
  onTokenServer(server);
  return { token: { realm: server.realm, service: server.service, issuer: server.issuer, rootcertbundle: server.certificatePath } };
}

function registryConfig(
  dir: string,
  host: string,
  auth: object | undefined,
  notifications: ContainerRegistryOptions['notifications'],
): object {
  return {
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: join(dir, 'data') }, delete: { enabled: true } },
    http: { addr: host, secret: randomBytes(16).toString('hex') },
    ...(auth ? { auth } : {}),
    ...(notifications
      ? {
          notifications: {
            endpoints: [
              {
                name: 'wren-test',
                url: notifications.url,
                headers: Object.fromEntries(Object.entries(notifications.headers ?? {}).map(([name, value]) => [name, [value]])),
                timeout: '2s',
                threshold: 3,
                backoff: '1s',
              },
            ],
          },
        }
      : {}),
  };
}

async function answers(host: string): Promise<boolean> {
  const response = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  return response.status === 200 || response.status === 401;
}
