// The environment of every git run: nothing of the operator's own configuration, no prompts, and
// credentials only in the child's environment or in private temporary files, never in argv or URLs.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SyncError } from '../sync-error.ts';
import type { GitCredentials } from './credentials.ts';
import type { RepositoryUrl } from './repository-url.ts';

const PASSED_THROUGH = [
  'PATH',
  'TMPDIR',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
];

export interface GitEnvironment {
  env: NodeJS.ProcessEnv;
  /** Removes the temporary key files, if any. */
  cleanup(): Promise<void>;
}

/** `-c` options for every invocation: no ext:: helpers ever, the file transport only for file:// URLs. */
export function gitSafetyOptions(url: RepositoryUrl | undefined): string[] {
  return [
    '-c',
    'protocol.ext.allow=never',
    '-c',
    `protocol.file.allow=${url?.scheme === 'file' ? 'always' : 'never'}`,
    '-c',
    'credential.helper=',
  ];
}

/** The variables every git run gets; `home` is a private empty directory, so no user config leaks in. */
export function baseEnvironment(home: string, from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANG: 'C' };
}

/** An Authorization header for http(s), passed as config through the environment (never argv). */
export function httpAuthorization(url: RepositoryUrl, credentials: GitCredentials | undefined): string | undefined {
  if (url.scheme !== 'http' && url.scheme !== 'https') return undefined;
  if (credentials?.bearerToken) return `Bearer ${credentials.bearerToken}`;
  const username = credentials?.username ?? (url.username || undefined);
  const password = credentials?.password ?? (url.password || undefined);
  if (password === undefined && username === undefined) return undefined;
  return `Basic ${Buffer.from(`${username ?? ''}:${password ?? ''}`).toString('base64')}`;
}

export function configThroughEnvironment(entries: [string, string][]): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

/** Quotes one word for the POSIX shell git runs GIT_SSH_COMMAND through. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The ssh command line: only the given key, only the given host keys, never a prompt. */
export function sshCommand(files: { identity?: string; knownHosts: string }): string {
  for (const file of [files.identity, files.knownHosts]) {
    // ssh splits option values on whitespace, so such a path cannot be given safely.
    if (file !== undefined && /[\s"]/.test(file)) throw new Error(`unsafe path for ssh: ${JSON.stringify(file)}`);
  }
  const words = ['ssh', '-F', '/dev/null'];
  if (files.identity) words.push('-i', files.identity, '-o', 'IdentitiesOnly=yes');
  words.push(
    '-o',
    `UserKnownHostsFile=${files.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentityAgent=none',
  );
  return words.map((word) => (/^[A-Za-z0-9_=/.-]+$/.test(word) ? word : shellQuote(word))).join(' ');
}

/** The environment for one operation on `url`; call cleanup() when it is done. */
export async function gitEnvironment(
  url: RepositoryUrl,
  credentials: GitCredentials | undefined,
  dirs: { home: string; temp: string },
): Promise<GitEnvironment> {
  const env: NodeJS.ProcessEnv = baseEnvironment(dirs.home);
  const authorization = httpAuthorization(url, credentials);
  if (authorization) Object.assign(env, configThroughEnvironment([['http.extraHeader', `Authorization: ${authorization}`]]));
  if (url.scheme !== 'ssh') return { env, cleanup: async () => {} };
  if (!credentials?.knownHosts) {
    throw new SyncError('fetch', 'ssh URLs need spec.secretRef with a known_hosts key: Wren always checks the host key');
  }
  const dir = await mkdtemp(join(dirs.temp, 'ssh-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const knownHosts = join(dir, 'known_hosts');
    await writeFile(knownHosts, withNewline(credentials.knownHosts), { mode: 0o600 });
    let identity: string | undefined;
    if (credentials.identity) {
      identity = join(dir, 'identity');
      await writeFile(identity, withNewline(credentials.identity), { mode: 0o600 });
    }
    env.GIT_SSH_COMMAND = sshCommand({ identity, knownHosts });
    env.GIT_SSH_VARIANT = 'ssh';
    return { env, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
