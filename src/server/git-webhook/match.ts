// Which GitSyncs a delivery concerns: those whose spec.url is the same repository as a URL in the
// payload, however either is spelled (https or ssh, with or without .git, any letter case).
import { normalizeRepositoryUrl } from '../../gitsync/source/repository-url.ts';

export interface GitSyncSource {
  namespace: string;
  name: string;
  url: string;
}

/** Letter case is ignored too: hosts like GitHub treat org/Repo and org/repo as one repository. */
export function repositoryKey(url: string): string | undefined {
  return normalizeRepositoryUrl(url)?.toLowerCase();
}

export function matchingGitSyncs(urls: readonly string[], gitSyncs: readonly GitSyncSource[]): GitSyncSource[] {
  const wanted = new Set(urls.map(repositoryKey).filter((key) => key !== undefined));
  return gitSyncs.filter((gitSync) => {
    const key = repositoryKey(gitSync.url);
    return key !== undefined && wanted.has(key);
  });
}
