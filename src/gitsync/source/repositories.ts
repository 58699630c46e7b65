// The Git source of GitSync: resolves spec.ref on the remote and checks commits out of one shallow
// cache per repository, shared by every GitSync that points at it. Operations on one cache run one
// at a time; different repositories are fetched side by side.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { SyncError } from '../sync-error.ts';
import type { GitCredentials } from './credentials.ts';
import type { GitRunner } from './git-command.ts';
import { withGitSession } from './git-session.ts';
import {
  checkRef,
  fallbackRefName,
  isFullSha,
  lsRemoteQuery,
  parseLsRemote,
  pickRevision,
  type GitRef,
  type ResolvedRevision,
} from './git-ref.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import { parseRepositoryUrl, redactUrl, repositoryCacheKey, type RepositoryUrl } from './repository-url.ts';

// Module-wide, so two GitRepositories on one cache directory still take turns.
const caches = new KeyedMutex();
// How far the history of a ref is deepened, in turn, when a server refuses to fetch a commit by SHA.
const FALLBACK_DEPTHS = ['--depth=1', '--deepen=50', '--deepen=1000', '--unshallow'];

export interface GitRepositoriesOptions {
  cacheDir: string;
  /** The git binary (default: git on PATH). */
  git?: string;
  /** Time limit of one git invocation (default 2 minutes). */
  timeoutMs?: number;
}

/** Lets checkout write only the directory a sync renders, unless that directory holds one of these files. */
export interface CheckoutScope {
  path: string;
  needsWholeTreeWhen: string[];
}

export class GitRepositories {
  private readonly cacheDir: string;
  private readonly git: string;
  private readonly timeoutMs: number;

  constructor(options: GitRepositoriesOptions) {
    this.cacheDir = resolvePath(options.cacheDir);
    this.git = options.git ?? 'git';
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** The cache of a repository: the same directory for every spelling of its URL. */
  cacheDirFor(url: string): string {
    return join(this.cacheDir, 'repos', `${repositoryCacheKey(url)}.git`);
  }

  /** Resolves spec.ref on the remote with `git ls-remote`, without fetching objects. */
  async resolve(url: string, ref: GitRef | undefined, credentials?: GitCredentials): Promise<ResolvedRevision> {
    const repository = parseRepositoryUrl(url);
    checkRef(ref);
    if (!lsRemoteQuery(ref)) return pickRevision(ref, { refs: new Map(), symrefs: new Map() }, redactUrl(url));
    return this.withGit(repository, credentials, (git) => this.listAndPick(git, repository, ref));
  }

  /**
   * Fetches `commit` into the shared cache (depth 1; when the server will not serve a commit by SHA,
   * the history of the ref is deepened until it appears) and writes its tree into `intoDir`, a
   * directory the caller owns, without .git. Returns the full SHA written.
   */
  async checkout(
    url: string,
    ref: GitRef | undefined,
    commit: string,
    credentials: GitCredentials | undefined,
    intoDir: string,
    scope?: CheckoutScope,
  ): Promise<string> {
    const repository = parseRepositoryUrl(url);
    checkRef(ref);
    if (!/^[0-9a-f]{7,40}$/.test(commit)) throw new SyncError('fetch', `${JSON.stringify(commit)} is not a commit SHA`);
    const cache = this.cacheDirFor(url);
    return caches.run(cache, () =>
      this.withGit(repository, credentials, async (git) => {
        await this.prepareCache(git, cache);
        const full = await this.fetchCommit(git, cache, repository, ref, commit);
        const subtree = scope && (await this.subtreeSuffices(git, cache, full, scope)) ? scope.path : '';
        await this.writeTree(git, cache, full, resolvePath(intoDir), subtree);
        return full;
      }),
    );
  }

  private withGit<T>(repository: RepositoryUrl, credentials: GitCredentials | undefined, task: (git: GitRunner) => Promise<T>): Promise<T> {
    return withGitSession({ cacheDir: this.cacheDir, git: this.git, timeoutMs: this.timeoutMs }, repository, credentials, task);
  }

  private async listAndPick(git: GitRunner, repository: RepositoryUrl, ref: GitRef | undefined): Promise<ResolvedRevision> {
    const where = redactUrl(repository.forGit);
    const query = lsRemoteQuery(ref) ?? { options: [], patterns: [] };
    const listing = await git(
      ['ls-remote', ...query.options, '--', repository.forGit, ...query.patterns],
      `cannot list the refs of ${where}`,
    );
    return pickRevision(ref, parseLsRemote(listing), where);
  }

  /** Creates the bare cache on first use and clears locks a killed git left behind (we hold the mutex). */
  private async prepareCache(git: GitRunner, cache: string): Promise<void> {
    if (!existsSync(join(cache, 'HEAD'))) {
      await mkdir(cache, { recursive: true, mode: 0o700 });
      await git(['init', '--bare', '--quiet', '--template=', '--', cache], 'cannot create the repository cache');
    }
    for (const dir of [cache, join(cache, 'refs', 'wren')]) {
      const entries = await readdir(dir).catch(() => [] as string[]);
      for (const entry of entries) if (entry.endsWith('.lock')) await rm(join(dir, entry), { force: true });
    }
  }

  private async fetchCommit(
    git: GitRunner,
    cache: string,
    repository: RepositoryUrl,
    ref: GitRef | undefined,
    commit: string,
  ): Promise<string> {
    const where = redactUrl(repository.forGit);
    const fetch = ['-C', cache, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head'];
    if (isFullSha(commit)) {
      const direct = await git.tolerant(
        [...fetch, '--depth=1', '--', repository.forGit, `+${commit}:refs/wren/fetched`],
        `cannot fetch ${commit} from ${where}`,
      );
      if (direct.code === 0) return commit;
    }
    const refName = ref?.semver !== undefined ? (await this.listAndPick(git, repository, ref)).refName : fallbackRefName(ref);
    for (const depth of FALLBACK_DEPTHS) {
      if (depth !== '--depth=1' && !(await this.isShallow(git, cache))) break;
      await git([...fetch, depth, '--', repository.forGit, `+${refName}:refs/wren/fetched`], `cannot fetch ${refName} from ${where}`);
      const found = await git.tolerant(
        ['-C', cache, 'rev-parse', '--verify', '--quiet', '--end-of-options', `${commit}^{commit}`],
        'cannot read the cache',
      );
      if (found.code === 0) return found.stdout.trim();
    }
    throw new SyncError('fetch', `commit ${commit} was not found in the history of ${refName} of ${where}`);
  }

  private async isShallow(git: GitRunner, cache: string): Promise<boolean> {
    return (await git(['-C', cache, 'rev-parse', '--is-shallow-repository'], 'cannot read the cache')).trim() === 'true';
  }

  /**
   * Whether writing only `scope.path` is enough: it holds none of the files that make a renderer read
   * outside it (a kustomization may name ../base). Writing a few files instead of a monorepo's
   * thousands is most of a sync's time.
   */
  private async subtreeSuffices(git: GitRunner, cache: string, commit: string, scope: CheckoutScope): Promise<boolean> {
    if (!scope.path) return false;
    const listing = await git.tolerant(
      ['--git-dir', cache, 'ls-tree', '--name-only', '--end-of-options', `${commit}:${scope.path}`],
      'cannot list the path',
    );
    if (listing.code !== 0) return false; // a missing path is reported by the renderer, with the full tree
    const names = listing.stdout.split('\n');
    return !names.some((name) => scope.needsWholeTreeWhen.includes(name));
  }

  /** Writes the commit's tree (or one directory of it) through a throwaway index, so the cache never gets a work tree. */
  private async writeTree(git: GitRunner, cache: string, commit: string, intoDir: string, subtree = ''): Promise<void> {
    await mkdir(intoDir, { recursive: true });
    if (subtree) {
      intoDir = join(intoDir, subtree);
      await mkdir(intoDir, { recursive: true });
      commit = `${commit}:${subtree}`;
    }
    const indexDir = await mkdtemp(join(this.cacheDir, 'tmp', 'index-'));
    try {
      const env = { GIT_INDEX_FILE: join(indexDir, 'index') };
      await git(['--git-dir', cache, 'read-tree', '--end-of-options', commit], `cannot read the tree of ${commit}`, { env });
      await git(['--git-dir', cache, '--work-tree', intoDir, 'checkout-index', '--all', '--force'], `cannot write the tree of ${commit}`, {
        env,
      });
    } finally {
      await rm(indexDir, { recursive: true, force: true });
    }
  }
}
