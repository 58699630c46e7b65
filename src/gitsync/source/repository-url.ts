// Which repository URLs Wren hands to git, and one spelling of each repository for cache keys and for
// matching webhook payloads. Only the forms the GitSync API documents pass: git's other forms
// (`helper::address`, bare local paths) would let a spec run remote helpers or read the operator's disk.
import { createHash } from 'node:crypto';
import { SyncError } from '../sync-error.ts';

export type RepositoryScheme = 'https' | 'http' | 'ssh' | 'git' | 'file';

export interface RepositoryUrl {
  scheme: RepositoryScheme;
  /** Lower-case host name, empty for file:// URLs. */
  host: string;
  /** Port when the URL names one that is not the scheme's default. */
  port: string;
  /** Path on the host without leading slashes, trailing slashes or `.git`. */
  path: string;
  /** User name and password written into an http(s) URL; git never sees them in the URL. */
  username: string;
  password: string;
  /** What git is given: the URL as written, minus user info for http(s). */
  forGit: string;
}

const DEFAULT_PORTS: Record<RepositoryScheme, string> = { https: '443', http: '80', ssh: '22', git: '9418', file: '' };
const SCP_LIKE = /^(?:([^@/:]+)@)?([^/:@]+):(.+)$/;

/** What is wrong with a repository URL, without the URL (which may be long or carry a password). */
class RefusedUrl extends Error {}

const refuse = (why: string): never => {
  throw new RefusedUrl(why);
};

// Whitespace, C0 and C1 controls, soft hyphen, zero-width and bidi controls, BOM: the URL parser drops
// some of these silently (tabs, newlines) and git would not, and all of them hide what a URL says.
const INVISIBLE = /[\u0000-\u0020\u007f-\u00a0\u00ad\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/;
const MAX_HOST_LENGTH = 253;

/** Parses spec.url, refusing anything git could read as an option, a remote helper or a local path. */
export function parseRepositoryUrl(url: string): RepositoryUrl {
  try {
    return parse(url);
  } catch (error) {
    if (error instanceof RefusedUrl) throw new SyncError('fetch', `repository URL ${redactUrl(url)} ${error.message}`);
    throw error;
  }
}

/** Why a repository URL is refused (e.g. 'names a host that starts with "-"'), or undefined when it is not. */
export function repositoryUrlProblem(url: string): string | undefined {
  try {
    parse(url);
    return undefined;
  } catch (error) {
    if (error instanceof RefusedUrl) return error.message;
    throw error;
  }
}

function parse(url: string): RepositoryUrl {
  if (url.startsWith('-')) refuse('starts with "-"');
  if (INVISIBLE.test(url)) refuse('contains whitespace or control characters');
  if (!url.includes('://')) {
    const scp = SCP_LIKE.exec(url);
    if (!scp || scp[3]?.startsWith(':')) refuse('is not an https://, http://, ssh://, git:// or file:// URL, nor user@host:path');
    const [, user = '', host = '', path = ''] = scp as RegExpExecArray;
    checkHostAndUser(host, user);
    return { scheme: 'ssh', host: host.toLowerCase(), port: '', path: trimPath(path), username: user, password: '', forGit: url };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('is not a valid URL');
  }
  const scheme = parsed.protocol.slice(0, -1) as RepositoryScheme;
  if (!(scheme in DEFAULT_PORTS)) refuse(`uses the unsupported scheme ${scheme.slice(0, 40)}://`);
  const host = parsed.hostname.toLowerCase();
  const username = safeDecode(parsed.username);
  const password = safeDecode(parsed.password);
  if (scheme !== 'file' && !host) refuse('names no host');
  checkHostAndUser(host, username);
  const port = parsed.port && parsed.port !== DEFAULT_PORTS[scheme] ? parsed.port : '';
  let forGit = url;
  if (scheme === 'http' || scheme === 'https') {
    parsed.username = '';
    parsed.password = '';
    forGit = parsed.href;
  }
  return { scheme, host, port, path: trimPath(safeDecode(parsed.pathname)), username, password, forGit };
}

function checkHostAndUser(host: string, user: string): void {
  if (host.startsWith('-')) refuse('names a host that starts with "-"');
  if (host.length > MAX_HOST_LENGTH) refuse(`names a host longer than ${MAX_HOST_LENGTH} characters`);
  if (user.startsWith('-')) refuse('names a user that starts with "-"');
}

function trimPath(path: string): string {
  return path
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
}

/**
 * One spelling per repository, whatever the scheme: `host[:port]/path`. GitHub's clone_url, ssh_url
 * and html_url of one repository all map to the same string, and so do `git@host:org/repo` and
 * `ssh://git@host/org/repo`. Returns undefined for what is not a repository URL.
 */
export function normalizeRepositoryUrl(url: string): string | undefined {
  let parsed: RepositoryUrl;
  try {
    parsed = parseRepositoryUrl(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.scheme === 'file') return `/${parsed.path}`;
  return `${parsed.host}${parsed.port ? `:${parsed.port}` : ''}/${parsed.path}`;
}

/** The name of a repository's cache directory: a hash, so no URL (or secret in one) lands on disk. */
export function repositoryCacheKey(url: string): string {
  const normal = normalizeRepositoryUrl(url) ?? url;
  return createHash('sha256').update(normal).digest('hex').slice(0, 32);
}

/** Removes user info from every URL in a text: all of it for http(s), the password for other schemes. */
export function redactUrl(text: string): string {
  // Matching starts at each "://" and the scheme is read backwards from there: a pattern that starts
  // with the scheme tries every word in the text and is quadratic on a long "a.a.a.a…".
  return text.replace(/:\/\/([^/\s@'"]*)@/g, (match, userInfo: string, offset: number) => {
    const scheme = /\b[a-z][a-z0-9+.-]*$/i.exec(text.slice(Math.max(0, offset - 32), offset))?.[0];
    if (!scheme) return match;
    if (/^https?$/i.test(scheme)) return '://***@';
    const colon = userInfo.indexOf(':');
    return colon < 0 ? match : `://${userInfo.slice(0, colon)}:***@`;
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
