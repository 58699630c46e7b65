// Commits an image update to a GitSync's repository and pushes it. Each attempt starts from a fresh
// shallow clone of the branch's tip, edits, commits and pushes; when the push is refused because the
// branch moved meanwhile, the edit is made again on top of the new tip (a rebase that cannot
// conflict, since it re-derives the change instead of replaying a patch).
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import type { GitCredentials } from '../gitsync/source/credentials.ts';
import type { GitRunner } from '../gitsync/source/git-command.ts';
import { withGitSession } from '../gitsync/source/git-session.ts';
import { parseRepositoryUrl, redactUrl } from '../gitsync/source/repository-url.ts';
import { SyncError } from '../gitsync/sync-error.ts';

const MAX_ATTEMPTS = 5;
/** How a push says the branch moved: refused as not a fast-forward, or (two pushes racing inside
 *  the server) the ref changed between the server's check and its update. */
const BRANCH_MOVED =
  /\((non-fast-forward|fetch first|stale info|failed to lock|failed to update ref|incorrect old value provided)\)|\[rejected\]|cannot lock ref/;
const WORK_BRANCH = 'wren-write-back';

export interface CommitAuthor {
  name: string;
  email: string;
}

export interface WriteBackRequest {
  url: string;
  credentials?: GitCredentials;
  /** The branch the change is based on when `pushBranch` does not exist yet. */
  baseBranch: string;
  pushBranch: string;
  /**
   * Edits files in the work tree; returns the paths (relative to it) it changed. `git` runs git in
   * the writer's session (its credentials) and `url` is the remote, for an edit that needs history.
   */
  edit(workTree: string, session: { git: GitRunner; url: string }): Promise<string[]>;
  message: string;
  author: CommitAuthor;
  /** Names the work directory, so two write-backs never share one. */
  workKey: string;
}

export interface WriteBackResult {
  /** The pushed commit; undefined when the files already held the update. */
  commit?: string;
  files: string[];
  attempts: number;
}

export interface GitWriteBackOptions {
  cacheDir: string;
  git?: string;
  timeoutMs?: number;
}

export class GitWriteBack {
  private readonly settings: { cacheDir: string; git: string; timeoutMs: number; stage: 'push' };

  constructor(options: GitWriteBackOptions) {
    this.settings = {
      cacheDir: resolvePath(options.cacheDir),
      git: options.git ?? 'git',
      timeoutMs: options.timeoutMs ?? 120_000,
      stage: 'push',
    };
  }

  async write(request: WriteBackRequest): Promise<WriteBackResult> {
    const repository = parseRepositoryUrl(request.url);
    const workTree = join(this.settings.cacheDir, 'write-back', createHash('sha256').update(request.workKey).digest('hex').slice(0, 16));
    try {
      return await withGitSession(this.settings, repository, request.credentials, async (git) => {
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          const outcome = await this.attempt(git, repository.forGit, workTree, request);
          if (outcome !== 'moved') return { ...outcome, attempts: attempt };
        }
        throw new SyncError(
          'push',
          `${request.pushBranch} of ${redactUrl(repository.forGit)} moved during each of ${MAX_ATTEMPTS} attempts to push`,
        );
      });
    } finally {
      await rm(workTree, { recursive: true, force: true });
    }
  }

  private async attempt(
    git: GitRunner,
    url: string,
    workTree: string,
    request: WriteBackRequest,
  ): Promise<Omit<WriteBackResult, 'attempts'> | 'moved'> {
    await rm(workTree, { recursive: true, force: true });
    await mkdir(workTree, { recursive: true, mode: 0o700 });
    const where = redactUrl(url);
    await git(['-C', workTree, 'init', '--quiet', '--template='], 'cannot create the write-back work tree');
    const startBranch = (await this.branchExists(git, url, request.pushBranch)) ? request.pushBranch : request.baseBranch;
    await git(
      ['-C', workTree, 'fetch', '--quiet', '--no-tags', '--depth=1', '--', url, `+refs/heads/${startBranch}:refs/remotes/origin/start`],
      `cannot fetch ${startBranch} from ${where}`,
    );
    await git(['-C', workTree, 'checkout', '--quiet', '-B', WORK_BRANCH, 'refs/remotes/origin/start'], `cannot check out ${startBranch}`);
    const files = await request.edit(workTree, { git, url });
    if (files.length === 0) return { files };
    await git(['-C', workTree, 'add', '--', ...files], 'cannot stage the update');
    const identity = {
      GIT_AUTHOR_NAME: request.author.name,
      GIT_AUTHOR_EMAIL: request.author.email,
      GIT_COMMITTER_NAME: request.author.name,
      GIT_COMMITTER_EMAIL: request.author.email,
    };
    await git(['-C', workTree, 'commit', '--quiet', '--no-verify', '--file=-'], 'cannot commit the update', {
      env: identity,
      input: request.message,
    });
    const commit = (await git(['-C', workTree, 'rev-parse', 'HEAD'], 'cannot read the commit')).trim();
    const push = await git.tolerant(
      ['-C', workTree, 'push', '--porcelain', '--', url, `HEAD:refs/heads/${request.pushBranch}`],
      `cannot push to ${where}`,
    );
    if (push.code === 0) return { commit, files };
    if (BRANCH_MOVED.test(`${push.stdout}\n${push.stderr}`)) return 'moved';
    throw git.failure(push, `cannot push ${request.pushBranch} to ${where}`);
  }

  private async branchExists(git: GitRunner, url: string, branch: string): Promise<boolean> {
    const listing = await git(['ls-remote', '--heads', '--', url, `refs/heads/${branch}`], `cannot list the branches of ${redactUrl(url)}`);
    return listing.trim().length > 0;
  }
}
