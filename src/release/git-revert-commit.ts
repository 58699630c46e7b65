// The revert of a release that changed more than images: `git revert` of the commit in the write-back's
// work tree, only when every file the commit changed lies under the GitSync's path (a commit that also
// touched other apps is not Wren's to undo). A revert that does not apply cleanly on the branch as it
// is now is refused, never half made; one already made applies as no change.
import type { GitRunner } from '../gitsync/source/git-command.ts';

export interface RevertedCommit {
  files: string[];
}

const under = (path: string) => {
  const prefix = path.replace(/^\.?\/?/, '').replace(/\/?$/, '/');
  return (file: string) => prefix === '/' || file.startsWith(prefix);
};

export async function revertCommitInWorkTree(
  workTree: string,
  session: { git: GitRunner; url: string },
  revision: string,
  path: string,
): Promise<RevertedCommit> {
  const { git, url } = session;
  const short = revision.slice(0, 12);
  await git(['-C', workTree, 'fetch', '--quiet', '--no-tags', '--depth=2', '--', url, revision], `cannot fetch ${short} to revert it`);
  const changed = (
    await git(
      ['-C', workTree, 'diff-tree', '--no-commit-id', '--name-only', '-r', `${revision}^`, revision],
      `cannot list what ${short} changed`,
    )
  )
    .split('\n')
    .filter(Boolean);
  const outside = changed.filter((file) => !under(path)(file));
  if (outside.length > 0) {
    throw new Error(
      `${short} also changes files outside ${path || 'the repository root'} (${outside.slice(0, 3).join(', ')}); not reverted`,
    );
  }
  const reverted = await git.tolerant(['-C', workTree, 'revert', '--no-commit', revision], `cannot revert ${short}`);
  if (reverted.code !== 0) {
    await git.tolerant(['-C', workTree, 'revert', '--abort'], 'cannot abort the revert');
    throw new Error(`${short} does not revert cleanly on the branch as it is now; not reverted`);
  }
  const staged = await git(['-C', workTree, 'diff', '--cached', '--name-only', 'HEAD'], 'cannot list the reverted files');
  return { files: staged.split('\n').filter(Boolean) };
}
