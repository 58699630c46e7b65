// A real Git remote on loopback for one test: a bare repository served by `git daemon` (git://), by
// `git http-backend` behind a small HTTP server (http://, optionally with basic auth) and, when asked,
// by sshd (ssh://). The test writes commits and tags straight into the bare repository; clients may push.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../src/localcluster/run-command.ts';
import { ensureDebianPackage, ensureSshd } from '../../src/localcluster/debian-packages.ts';
import { eventually } from './eventually.ts';
import { freePort } from './prometheus.ts';

const GIT_CORE = '/usr/lib/git-core';
const REPO = 'repo.git';

export interface GitRemoteOptions {
  /** HTTP basic auth the http:// URL demands. */
  auth?: { username: string; password: string };
  /** Serve http:// with protocol v0 only, like old servers that refuse to hand out unadvertised commits. */
  protocolV0Only?: boolean;
  /** Also serve ssh:// through sshd, with a key pair and known_hosts for the client. */
  ssh?: boolean;
}

export interface GitRemote {
  gitUrl: string;
  httpUrl: string;
  /** The bare repository on disk, for file:// URLs. */
  path: string;
  /** Set when started with ssh: the URL, and the client's private key and known_hosts lines. */
  ssh?: { url: string; identity: string; knownHosts: string };
  /** Commits files (null deletes one) on a branch (default main); returns the new commit's SHA. */
  commit(files: Record<string, string | null>, message?: string, branch?: string): Promise<string>;
  /** Tags a commit (default the head of main); annotated unless told otherwise. */
  tag(name: string, commit?: string, options?: { annotated?: boolean }): Promise<void>;
  head(branch?: string): Promise<string>;
  /** A file's bytes as committed on a branch (default main), exactly. */
  show(path: string, branch?: string): Promise<string>;
  /** Author and message of a commit (default the head of main). */
  commitInfo(ref?: string): Promise<{ author: string; email: string; message: string; parents: string[] }>;
  close(): Promise<void>;
}

// Whatever a test forgets to close still dies with the test process.
const leftovers = new Set<{ children: ChildProcess[]; dir: string }>();
process.on('exit', () => {
  for (const leftover of leftovers) {
    for (const child of leftover.children) child.kill('SIGKILL');
    rmSync(leftover.dir, { recursive: true, force: true });
  }
});

export async function startGitRemote(options: GitRemoteOptions = {}): Promise<GitRemote> {
  await ensureDebianPackage(`${GIT_CORE}/git-daemon`, 'git');
  await ensureDebianPackage(`${GIT_CORE}/git-http-backend`, 'git');
  const dir = mkdtempSync(join(tmpdir(), 'wren-git-remote-'));
  const root = join(dir, 'srv');
  const bare = join(root, REPO);
  const home = join(dir, 'home');
  mkdirSync(home);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, GIT_CONFIG_NOSYSTEM: '1', ...identity() };
  const git = (args: string[], extra: Record<string, string> = {}, input?: string) =>
    run('git', ['--git-dir', bare, ...args], { ...env, ...extra }, input);
  await run('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare], env);
  await git(['config', 'http.receivepack', 'true']); // pushes over http:// too (image write-back)

  const resources = { children: [] as ChildProcess[], dir };
  leftovers.add(resources);
  const servers: Server[] = [];
  const daemonPort = await freePort();
  resources.children.push(
    spawn(
      `${GIT_CORE}/git-daemon`,
      [
        '--reuseaddr',
        '--listen=127.0.0.1',
        `--port=${daemonPort}`,
        '--export-all',
        '--enable=receive-pack',
        `--base-path=${root}`,
        '--informative-errors',
      ],
      {
        env,
        stdio: 'ignore',
      },
    ),
  );
  const http = httpBackend(root, env, options, resources.children);
  servers.push(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const httpPort = (http.address() as { port: number }).port;
  await eventually('git daemon to listen', () => canConnect(daemonPort), { timeoutMs: 30_000 });
  const ssh = options.ssh ? await startSshd(dir, bare, resources.children) : undefined;

  const head = (branch = 'main') => git(['rev-parse', '--verify', `refs/heads/${branch}`]);
  return {
    gitUrl: `git://127.0.0.1:${daemonPort}/${REPO}`,
    httpUrl: `http://127.0.0.1:${httpPort}/${REPO}`,
    path: bare,
    ssh,
    head,
    async show(path, branch = 'main') {
      const result = await runCommand('git', ['--git-dir', bare, 'show', `refs/heads/${branch}:${path}`], { env });
      if (result.code !== 0) throw new Error(`git show ${branch}:${path} failed: ${result.stderr.trim()}`);
      return result.stdout;
    },
    async commitInfo(ref = 'refs/heads/main') {
      const [author = '', email = '', parents = '', ...message] = (await git(['log', '-1', '--format=%an%n%ae%n%P%n%B', ref])).split('\n');
      return { author, email, parents: parents.split(' ').filter(Boolean), message: message.join('\n').trim() };
    },
    async commit(files, message = 'a commit', branch = 'main') {
      const parent = await head(branch).catch(() => undefined);
      const index = { GIT_INDEX_FILE: join(dir, `index-${randomUUID()}`) }; // a commit of its own, even when called at once
      await git(parent ? ['read-tree', parent] : ['read-tree', '--empty'], index);
      const entries: string[] = [];
      for (const [path, content] of Object.entries(files)) {
        const blob = content === null ? undefined : await git(['hash-object', '-w', '--stdin'], {}, content);
        entries.push(blob ? `100644 ${blob}\t${path}` : `0 ${'0'.repeat(40)}\t${path}`);
      }
      await git(['update-index', '--index-info'], index, `${entries.join('\n')}\n`);
      const tree = await git(['write-tree'], index);
      const commit = await git(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message]);
      await git(['update-ref', `refs/heads/${branch}`, commit, ...(parent ? [parent] : [])]);
      rmSync(index.GIT_INDEX_FILE, { force: true });
      return commit;
    },
    async tag(name, commit, tagOptions = {}) {
      const target = commit ?? (await head());
      if (tagOptions.annotated === false) await git(['update-ref', `refs/tags/${name}`, target]);
      else await git(['tag', '--annotate', '--message', name, name, target]);
    },
    async close() {
      for (const child of resources.children) child.kill('SIGKILL');
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      rmSync(dir, { recursive: true, force: true });
      leftovers.delete(resources);
    },
  };
}

async function run(command: string, args: string[], env: Record<string, string>, input?: string): Promise<string> {
  const result = await runCommand(command, args, { env, input });
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.code}): ${result.stderr.trim()}`);
  return result.stdout.trim();
}

function identity(): Record<string, string> {
  const who = { name: 'Wren Test', email: 'test@wren.invalid' };
  return { GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** git http-backend as CGI behind node:http. */
function httpBackend(root: string, env: Record<string, string>, options: GitRemoteOptions, children: ChildProcess[]): Server {
  return createServer((request, response) => {
    if (options.auth && !authorized(request, options.auth)) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="wren test remote"' }).end('authentication required');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const cgi = spawn(`${GIT_CORE}/git-http-backend`, [], {
      env: {
        ...env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        REQUEST_METHOD: request.method ?? 'GET',
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        ...(request.headers['content-length'] ? { CONTENT_LENGTH: request.headers['content-length'] } : {}),
        ...(request.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: request.headers['content-encoding'] } : {}),
        ...(request.headers['git-protocol'] && !options.protocolV0Only ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {}),
        ...(options.auth ? { REMOTE_USER: options.auth.username } : {}),
        REMOTE_ADDR: '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    children.push(cgi);
    cgi.on('exit', () => children.includes(cgi) && children.splice(children.indexOf(cgi), 1));
    request.pipe(cgi.stdin);
    cgi.stdin.on('error', () => {});
    relayCgiResponse(cgi, response);
  });
}

function authorized(request: IncomingMessage, auth: { username: string; password: string }): boolean {
  const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  return request.headers.authorization === expected;
}

/** Reads the CGI header block (with its Status line) off stdout, then streams the body. */
function relayCgiResponse(cgi: ChildProcess, response: ServerResponse): void {
  let head = Buffer.alloc(0);
  let started = false;
  cgi.stdout?.on('data', (chunk: Buffer) => {
    if (started) return void response.write(chunk);
    head = Buffer.concat([head, chunk]);
    const text = head.toString('latin1');
    const match = /\r?\n\r?\n/.exec(text);
    if (!match) return;
    started = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of text.slice(0, match.index).split(/\r?\n/)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else if (name) headers[name] = value;
    }
    response.writeHead(status, headers);
    response.write(head.subarray(Buffer.byteLength(text.slice(0, match.index + match[0].length), 'latin1')));
  });
  cgi.on('close', () => {
    if (!started) response.writeHead(502);
    response.end();
  });
}

/** sshd as the current user on loopback, with its own host key and one authorized client key. */
async function startSshd(dir: string, bare: string, children: ChildProcess[]): Promise<GitRemote['ssh']> {
  await ensureSshd();
  const sshDir = join(dir, 'ssh');
  mkdirSync(sshDir, { mode: 0o700 });
  for (const key of ['host_key', 'client_key']) {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'wren-test', '-f', join(sshDir, key)], {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
    });
  }
  writeFileSync(join(sshDir, 'authorized_keys'), readFileSync(join(sshDir, 'client_key.pub')));
  const port = await freePort();
  const config = [
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${join(sshDir, 'host_key')}`,
    `AuthorizedKeysFile ${join(sshDir, 'authorized_keys')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'PidFile none',
    'LogLevel ERROR',
  ];
  writeFileSync(join(sshDir, 'sshd_config'), `${config.join('\n')}\n`);
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true }); // privilege separation directory
  children.push(spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(sshDir, 'sshd_config')], { stdio: 'ignore' }));
  await eventually('sshd to listen', () => canConnect(port), { timeoutMs: 30_000 });
  const hostKey = readFileSync(join(sshDir, 'host_key.pub'), 'utf8').trim();
  return {
    url: `ssh://${userInfo().username}@127.0.0.1:${port}${bare}`,
    identity: readFileSync(join(sshDir, 'client_key'), 'utf8'),
    knownHosts: `[127.0.0.1]:${port} ${hostKey}\n`,
  };
}
