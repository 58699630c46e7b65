// Real metrics servers for the metric provider tests, each on its own loopback port with its data in
// a temporary directory: InfluxDB 1.x and Graphite (carbon-cache and graphite-web), both Debian's
// packages, and VictoriaMetrics (built from its pinned module under test/infra/victoriametrics).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { victoriaMetricsSet } from '../../src/localcluster/binary-sets.ts';
import { ensureBinarySet } from '../../src/localcluster/build-binaries.ts';
import { CARBON_CACHE_BINARY, ensureGraphite, ensureInfluxdb, INFLUXD_BINARY } from '../../src/localcluster/debian-packages.ts';
import { eventually } from './eventually.ts';
import { freePort } from './prometheus.ts';

export interface MetricServer {
  url: string;
  /** Kills the server, as an outage would. */
  stop(): Promise<void>;
}

async function startServer(
  t: TestContext,
  what: string,
  command: string,
  args: string[],
  url: string,
  ready: () => Promise<boolean>,
  dir: string,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<MetricServer> {
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  t.after(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${what} exited (code ${code}) while starting: ${stderr.slice(-1000)}`))),
  );
  exited.catch(() => {}); // after a successful start, exiting is stop()'s business
  await Promise.race([exited, eventually(`${what} to answer`, () => ready().catch(() => false), { timeoutMs: 60_000 })]);
  return { url, stop };
}

export interface TestInfluxdb extends MetricServer {
  /** Runs InfluxQL statements as the admin (when auth is on); throws on any error. */
  admin(statement: string): Promise<void>;
  /** Writes line protocol into a database. */
  write(database: string, lines: string[]): Promise<void>;
}

/** InfluxDB 1.x on loopback; with `admin`, authentication is on and that user is its admin. */
export async function startInfluxdb(t: TestContext, admin?: { username: string; password: string }): Promise<TestInfluxdb> {
  await ensureInfluxdb();
  const dir = mkdtempSync(join(tmpdir(), 'wren-influxdb-'));
  const [httpPort, rpcPort] = [await freePort(), await freePort()];
  const config = `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${join(dir, 'meta')}"
[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[http]
  bind-address = "127.0.0.1:${httpPort}"
  auth-enabled = ${admin ? 'true' : 'false'}
  log-enabled = false
`;
  writeFileSync(join(dir, 'influxdb.conf'), config);
  const url = `http://127.0.0.1:${httpPort}`;
  const server = await startServer(
    t,
    'InfluxDB',
    INFLUXD_BINARY,
    ['run', '-config', join(dir, 'influxdb.conf')],
    url,
    async () => (await fetch(`${url}/ping`)).status === 204,
    dir,
  );
  const authorization: Record<string, string> = admin
    ? { Authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}` }
    : {};
  const post = async (path: string, body: string | URLSearchParams) => {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers: authorization, body });
    const text = await response.text();
    if (!response.ok || text.includes('"error"')) throw new Error(`InfluxDB ${path} answered HTTP ${response.status}: ${text}`);
  };
  // With auth on and no user yet, InfluxDB accepts exactly one statement: creating the first admin.
  if (admin) {
    const create = `CREATE USER "${admin.username}" WITH PASSWORD '${admin.password}' WITH ALL PRIVILEGES`;
    const response = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q: create }) });
    if (!response.ok) throw new Error(`InfluxDB did not create its admin: HTTP ${response.status} ${await response.text()}`);
  }
  return {
    ...server,
    admin: (statement) => post('/query', new URLSearchParams({ q: statement })),
    write: (database, lines) => post(`/write?${new URLSearchParams({ db: database })}`, lines.join('\n')),
  };
}

export interface TestVictoriaMetrics extends MetricServer {
  /** Imports samples in Prometheus' text exposition format (/api/v1/import/prometheus). */
  importPrometheus(lines: string[]): Promise<void>;
}

/** VictoriaMetrics single-node on loopback; built from its pinned module on first use. */
export async function startVictoriaMetrics(t: TestContext): Promise<TestVictoriaMetrics> {
  const set = victoriaMetricsSet();
  const binary = join(await ensureBinarySet(set, (message) => process.stderr.write(`# ${message}\n`)), 'victoria-metrics');
  const dir = mkdtempSync(join(tmpdir(), 'wren-victoria-metrics-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServer(
    t,
    'VictoriaMetrics',
    binary,
    [
      `-storageDataPath=${join(dir, 'data')}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-loggerLevel=ERROR',
      // Queries see samples as soon as they are stored, not 30s later (the default latency offset).
      '-search.latencyOffset=0s',
      '-search.disableCache',
    ],
    url,
    async () => (await fetch(`${url}/health`)).ok,
    dir,
  );
  return {
    ...server,
    async importPrometheus(lines) {
      const response = await fetch(`${url}/api/v1/import/prometheus`, { method: 'POST', body: `${lines.join('\n')}\n` });
      if (!response.ok) throw new Error(`VictoriaMetrics import answered HTTP ${response.status}: ${await response.text()}`);
    },
  };
}

export interface TestGraphite extends MetricServer {
  /** Sends points to carbon-cache (plaintext protocol) and waits until the render API shows each path. */
  send(points: { path: string; value: number; at: Date }[]): Promise<void>;
}

function sendLines(port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

/** carbon-cache (10 s resolution, whisper files) and graphite-web's render API, reading its cache too. */
export async function startGraphite(t: TestContext): Promise<TestGraphite> {
  await ensureGraphite();
  const dir = mkdtempSync(join(tmpdir(), 'wren-graphite-'));
  // graphite-web neither creates its log directory nor reads a whisper directory that is missing when it starts.
  for (const sub of ['log', 'whisper']) mkdirSync(join(dir, sub));
  const [linePort, picklePort, cachePort, webPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const carbonConfig = `[cache]
STORAGE_DIR = ${dir}
LOCAL_DATA_DIR = ${join(dir, 'whisper')}
WHITELISTS_DIR = ${join(dir, 'lists')}
CONF_DIR = ${dir}
LOG_DIR = ${join(dir, 'log')}
PID_DIR = ${dir}
ENABLE_LOGROTATION = False
USER =
MAX_CACHE_SIZE = inf
MAX_UPDATES_PER_SECOND = inf
MAX_CREATES_PER_MINUTE = inf
LINE_RECEIVER_INTERFACE = 127.0.0.1
LINE_RECEIVER_PORT = ${linePort}
ENABLE_UDP_LISTENER = False
PICKLE_RECEIVER_INTERFACE = 127.0.0.1
PICKLE_RECEIVER_PORT = ${picklePort}
CACHE_QUERY_INTERFACE = 127.0.0.1
CACHE_QUERY_PORT = ${cachePort}
CARBON_METRIC_INTERVAL = 0
`;
  writeFileSync(join(dir, 'carbon.conf'), carbonConfig);
  writeFileSync(join(dir, 'storage-schemas.conf'), '[default]\npattern = .*\nretentions = 10s:1d\n');
  // graphite-web reads its settings from the module GRAPHITE_SETTINGS_MODULE names.
  const webSettings = `SECRET_KEY = 'wren-test-only'
ALLOWED_HOSTS = ['127.0.0.1']
STORAGE_DIR = ${JSON.stringify(dir)}
WHISPER_DIR = ${JSON.stringify(`${join(dir, 'whisper')}/`)}
LOG_DIR = ${JSON.stringify(join(dir, 'log'))}
INDEX_FILE = ${JSON.stringify(join(dir, 'index'))}
CARBONLINK_HOSTS = ['127.0.0.1:${cachePort}']
DATABASES = {'default': {'NAME': ${JSON.stringify(join(dir, 'graphite.db'))}, 'ENGINE': 'django.db.backends.sqlite3'}}
DEFAULT_CACHE_DURATION = 0
FUNCTION_PLUGINS = []
`;
  writeFileSync(join(dir, 'wren_graphite_settings.py'), webSettings);
  const carbon = await startServer(
    t,
    'carbon-cache',
    CARBON_CACHE_BINARY,
    [`--config=${join(dir, 'carbon.conf')}`, '--nodaemon', 'start'],
    `tcp://127.0.0.1:${linePort}`,
    () => sendLines(linePort, '').then(() => true),
    dir,
  );
  const url = `http://127.0.0.1:${webPort}`;
  const web = await startServer(
    t,
    'graphite-web',
    '/usr/bin/python3',
    ['-m', 'django', 'runserver', '--noreload', `127.0.0.1:${webPort}`],
    url,
    async () => (await fetch(`${url}/render?target=constantLine(1)&format=json`)).ok,
    dir,
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        PYTHONPATH: dir,
        GRAPHITE_SETTINGS_MODULE: 'wren_graphite_settings',
        DJANGO_SETTINGS_MODULE: 'graphite.settings',
      },
    },
  );
  return {
    url,
    async stop() {
      await web.stop();
      await carbon.stop();
    },
    async send(points) {
      await sendLines(linePort, points.map(({ path, value, at }) => `${path} ${value} ${Math.floor(at.getTime() / 1000)}\n`).join(''));
      for (const path of new Set(points.map((point) => point.path))) {
        const sent = points.filter((point) => point.path === path).length;
        await eventually(`graphite-web to show the ${sent} points of ${path}`, async () => {
          const render = `${url}/render?${new URLSearchParams({ target: path, from: '-1h', format: 'json' })}`;
          const body = (await (await fetch(render)).json()) as { datapoints: [number | null, number][] }[];
          return (body[0]?.datapoints.filter(([value]) => value !== null).length ?? 0) >= sent;
        });
      }
    },
  };
}
