// Writes the revert of a failed release into Git: in the files under the GitSync's path, the images
// the canary ran go back to the ones the primary runs, with the byte-preserving editors of the image
// write-back (or, for a release that changed no image, `git revert` of its commit when it touched
// only that path), committed with a message that names the failed checks. `commit` pushes to the synced
// branch, `branch` to a branch of its own. A push refused because the branch moved is made again on
// the new tip (GitWriteBack); files that already hold the primary's images commit nothing, so a revert
// repeated after a restart, or on a branch that already has it, pushes nothing.
import { readFile, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Canary } from '../api/canary.ts';
import type { GitSync } from '../api/git-sync.ts';
import type { CanaryReverter, RevertOutcome } from '../gitsync/canary-reverter.ts';
import type { ReleaseEntry } from '../gitsync/release-tracking.ts';
import { splitImage } from '../gitsync/render/image-reference.ts';
import type { GitRepositories } from '../gitsync/source/repositories.ts';
import { DEFAULT_AUTHOR } from '../imagepolicy/git-file-write-back.ts';
import { GitSyncRemote } from '../imagepolicy/git-sync-remote.ts';
import type { GitWriteBack } from '../imagepolicy/git-write-back.ts';
import { insideWorkTree, yamlFiles } from '../imagepolicy/write-back-files.ts';
import { swapImages, type ImageSwap } from '../imagepolicy/writeback/image-swap.ts';
import { WriteBackError } from '../imagepolicy/writeback/write-back-error.ts';
import type { KubeClient } from '../kube/client.ts';
import { revertCommitInWorkTree } from './git-revert-commit.ts';
import { revertMessage } from './revert-message.ts';

/** The branch a `branch` revert goes to when spec.onCanaryFailure.branch names none. */
export function revertBranchName(canary: string, revision: string): string {
  return `wren/revert-${canary}-${revision.slice(0, 7)}`;
}

/** Each container whose image the failed run changed: its image back to the primary's. */
export function imageSwaps(canary: Canary): ImageSwap[] {
  return (canary.status?.release?.images ?? []).flatMap((image) =>
    image.primaryImage && image.primaryImage !== image.image ? [{ from: image.image, to: image.primaryImage }] : [],
  );
}

export class GitCanaryReverter implements CanaryReverter {
  private readonly remote: GitSyncRemote;
  private readonly writer: GitWriteBack;

  constructor(client: KubeClient, repositories: GitRepositories, writer: GitWriteBack) {
    this.remote = new GitSyncRemote(client, repositories);
    this.writer = writer;
  }

  async revert(sync: GitSync, entry: ReleaseEntry, canary: Canary): Promise<RevertOutcome> {
    const mode = sync.spec.onCanaryFailure;
    if (!mode) throw new Error('spec.onCanaryFailure is not set');
    const release = canary.status?.release;
    if (release?.revision !== entry.revision) {
      return { error: `Canary ${entry.canary} has moved on to revision ${release?.revision ?? 'unknown'}; nothing reverted` };
    }
    const swaps = imageSwaps(canary);
    const credentials = await this.remote.credentials(sync);
    const syncedBranch = await this.remote.syncedBranch(sync, credentials);
    if (!syncedBranch) return { error: 'the GitSync follows a tag or commit, not a branch: there is no branch to revert on' };
    const branch = mode.revert === 'commit' ? syncedBranch : (mode.branch ?? revertBranchName(entry.canary, entry.revision));
    const gitSync = `${sync.metadata?.namespace}/${sync.metadata?.name}`;
    const result = await this.writer.write({
      url: sync.spec.url,
      ...(credentials ? { credentials } : {}),
      baseBranch: syncedBranch,
      pushBranch: branch,
      message: revertMessage({ canary, gitSync, revision: entry.revision, swaps }),
      author: DEFAULT_AUTHOR,
      workKey: `revert/${gitSync}/${entry.canary}`,
      edit: async (workTree, session) => {
        const edited = await restoreImages(workTree, sync.spec.path ?? '', swaps);
        if (edited.files.length > 0 || edited.alreadyReverted) return edited.files;
        // No image to put back (the release changed something else), or no file sets it as an image:
        // undo the commit itself, when it touched only this app. Already undone, it changes nothing.
        return (await revertCommitInWorkTree(workTree, session, entry.revision, sync.spec.path ?? '')).files;
      },
    });
    return { branch, ...(result.commit ? { commit: result.commit } : {}), files: result.files };
  }
}

/** Edits every YAML file under path; `alreadyReverted` when none needed it but one holds the primary's image. */
async function restoreImages(
  workTree: string,
  path: string,
  swaps: readonly ImageSwap[],
): Promise<{ files: string[]; alreadyReverted: boolean }> {
  const root = await insideWorkTree(workTree, path || '.', 'spec.path');
  const files: string[] = [];
  let alreadyReverted = false;
  for (const file of await yamlFiles(root)) {
    const text = await readFile(file, 'utf8');
    if (!swaps.some((swap) => text.includes(splitImage(swap.from).name))) continue;
    let edited: string;
    try {
      edited = swapImages(text, swaps).text;
    } catch (error) {
      if (error instanceof WriteBackError) throw error.inFile(relative(workTree, file));
      throw error;
    }
    if (edited !== text) {
      await writeFile(file, edited);
      files.push(relative(workTree, file));
    } else if (
      swapImages(
        text,
        swaps.map(({ from, to }) => ({ from: to, to: from })),
      ).changes.length > 0
    ) {
      // The editor recognises the primary's images here: the revert is already in Git.
      alreadyReverted = true;
    }
  }
  return { files, alreadyReverted };
}
