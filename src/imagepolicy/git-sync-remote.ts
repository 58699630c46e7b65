// The remote a GitSync follows, as a writer sees it: its credentials and the branch it syncs. Shared
// by the image write-back and the revert of a failed release.
import type { GitSync } from '../api/git-sync.ts';
import { credentialsFromSecret, type GitCredentials } from '../gitsync/source/credentials.ts';
import { readGitSecret } from '../gitsync/source/git-secret.ts';
import type { GitRepositories } from '../gitsync/source/repositories.ts';
import type { KubeClient } from '../kube/client.ts';

export class GitSyncRemote {
  private readonly client: KubeClient;
  private readonly repositories: GitRepositories;

  constructor(client: KubeClient, repositories: GitRepositories) {
    this.client = client;
    this.repositories = repositories;
  }

  async credentials(sync: GitSync): Promise<GitCredentials | undefined> {
    const data = await readGitSecret(this.client, sync);
    return data ? credentialsFromSecret(data) : undefined;
  }

  /** The branch the GitSync follows; undefined when it follows a tag, a semver range or a commit. */
  async syncedBranch(sync: GitSync, credentials: GitCredentials | undefined): Promise<string | undefined> {
    const ref = sync.spec.ref ?? {};
    if (ref.branch) return ref.branch;
    if (ref.tag || ref.semver || ref.commit) return undefined;
    return this.headBranch(sync, credentials);
  }

  async headBranch(sync: GitSync, credentials: GitCredentials | undefined): Promise<string> {
    const head = await this.repositories.resolve(sync.spec.url, undefined, credentials);
    if (!head.refName.startsWith('refs/heads/'))
      throw new Error(`cannot tell which branch HEAD of ${sync.spec.url} is: set spec.ref.branch of the GitSync`);
    return head.refName.slice('refs/heads/'.length);
  }
}
