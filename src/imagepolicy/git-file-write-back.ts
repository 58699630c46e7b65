// The git write-back of one ImagePolicy: which repository, branches, credentials and commit to use
// (all from the GitSync it names), and which files to edit (setter markers under the write-back path,
// optionally a kustomization's images: entry and Helm values keys).
import type { GitSync } from '../api/git-sync.ts';
import type { ImagePolicy } from '../api/image-policy.ts';
import type { GitRepositories } from '../gitsync/source/repositories.ts';
import type { KubeClient } from '../kube/client.ts';
import { commitMessage } from './commit-message.ts';
import { GitSyncRemote } from './git-sync-remote.ts';
import type { GitWriteBack } from './git-write-back.ts';
import { pinsDigest } from './pins-digest.ts';
import { editWriteBackFiles, type FileEdits } from './write-back-files.ts';
import type { ImageVersion } from './write-back-decision.ts';

export const DEFAULT_AUTHOR = { name: 'Wren', email: 'wren@wren.dev' };

export interface GitFileWriteBackResult {
  commit?: string;
  branch: string;
  /** The branch the GitSync follows, if it follows one. */
  syncedBranch: string | undefined;
  files: string[];
  /** Places that refer to this policy (up to date or not); 0 means nothing in Git names it. */
  targets: number;
  noTargetMessage: string;
}

export class GitFileWriteBack {
  private readonly remote: GitSyncRemote;
  private readonly writer: GitWriteBack;

  constructor(client: KubeClient, repositories: GitRepositories, writer: GitWriteBack) {
    this.remote = new GitSyncRemote(client, repositories);
    this.writer = writer;
  }

  async write(
    policy: ImagePolicy,
    sync: GitSync,
    latest: ImageVersion,
    previous: ImageVersion | undefined,
  ): Promise<GitFileWriteBackResult> {
    const namespace = policy.metadata?.namespace ?? 'default';
    const name = `${namespace}:${policy.metadata?.name ?? ''}`;
    const writeBack = policy.spec.writeBack ?? {};
    const credentials = await this.remote.credentials(sync);
    const syncedBranch = await this.remote.syncedBranch(sync, credentials);
    const pushBranch = writeBack.branch ?? syncedBranch;
    if (!pushBranch) throw new Error(`GitSync ${sync.metadata?.name} follows a tag or commit, not a branch: set spec.writeBack.branch`);
    const baseBranch = syncedBranch ?? (await this.remote.headBranch(sync, credentials));
    const path = writeBack.path ?? sync.spec.path ?? '';
    let edits: FileEdits = { files: [], targets: 0, problems: [] };
    const result = await this.writer.write({
      url: sync.spec.url,
      ...(credentials ? { credentials } : {}),
      baseBranch,
      pushBranch,
      message: commitMessage(writeBack.commitMessage, {
        policy: name,
        image: policy.spec.image,
        tag: latest.tag,
        ...(latest.digest ? { digest: latest.digest } : {}),
        ...(previous ? { previousTag: previous.tag } : {}),
      }),
      author: writeBack.author ?? DEFAULT_AUTHOR,
      workKey: `${namespace}/${policy.metadata?.name}`,
      edit: async (workTree) => {
        edits = await editWriteBackFiles(workTree, {
          path,
          choice: {
            policy: name,
            repository: policy.spec.image,
            tag: latest.tag,
            ...(latest.digest ? { digest: latest.digest } : {}),
            pinDigest: pinsDigest(policy),
          },
          ...(writeBack.kustomization ? { kustomization: writeBack.kustomization } : {}),
          ...(writeBack.helmValues ? { helmValues: writeBack.helmValues } : {}),
        });
        return edits.files;
      },
    });
    return {
      ...(result.commit ? { commit: result.commit } : {}),
      branch: pushBranch,
      syncedBranch,
      files: result.files,
      targets: edits.targets,
      noTargetMessage: `no setter marker {"$imagepolicy": "${name}"}${writeBack.kustomization ? ', kustomization images: entry' : ''}${writeBack.helmValues ? ' or Helm values key' : ''} found under ${path || 'the repository root'} on ${pushBranch}${edits.problems.length ? ` (${edits.problems.join('; ')})` : ''}`,
    };
  }
}
