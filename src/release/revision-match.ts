// Commits as CI names them: a SHA, often abbreviated, matched against the full SHAs that GitSyncs and
// Canaries record in status.
import type { Canary } from '../api/canary.ts';
import type { GitSync } from '../api/git-sync.ts';

const REVISION = /^[0-9a-f]{7,40}$/;

/** The revision in lower case, or undefined when it is not 7 to 40 hex digits. */
export function parseRevision(text: string | undefined): string | undefined {
  const revision = text?.trim().toLowerCase();
  return revision && REVISION.test(revision) ? revision : undefined;
}

/** Whether a recorded revision is the commit `revision` (a prefix of it, as `git log --oneline` abbreviates). */
export function sameCommit(recorded: string | undefined, revision: string): boolean {
  return recorded !== undefined && recorded.length >= revision.length && recorded.toLowerCase().startsWith(revision);
}

/** The first 7 characters of a full SHA, as `git log --oneline` prints it. */
export function shortSha(revision: string): string {
  return /^[0-9a-f]{40}$/i.test(revision) ? revision.slice(0, 7) : revision;
}

/** Every revision a GitSync's status mentions: applied, attempted, in its history or its releases. */
export function revisionsOfGitSync(gitSync: GitSync): string[] {
  const status = gitSync.status ?? {};
  return [
    status.lastAppliedRevision,
    status.lastAttemptedRevision,
    ...(status.history ?? []).map((record) => record.revision),
    ...(status.releases ?? []).map((entry) => entry.revision),
  ].filter((revision): revision is string => revision !== undefined);
}

/** The revision of a Canary's current run, when a GitSync started it. */
export function revisionsOfCanary(canary: Canary): string[] {
  const revision = canary.status?.release?.revision;
  return revision ? [revision] : [];
}

/** The distinct full revisions `revision` abbreviates among those recorded; more than one is ambiguous. */
export function matchingRevisions(revision: string, recorded: string[]): string[] {
  return [...new Set(recorded.filter((candidate) => sameCommit(candidate, revision)).map((candidate) => candidate.toLowerCase()))];
}
