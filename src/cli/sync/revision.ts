// How a GitSync's revisions and ref read on a terminal.
import type { GitSync } from '../../api/git-sync.ts';

/** The first 7 characters of a full commit SHA, as git log --oneline prints it; anything else unchanged. */
export function shortRevision(revision: string | undefined): string {
  if (!revision) return '-';
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
}

/** "branch main", "tag v1.2.0", ..., or "the remote HEAD" when no ref is set. */
export function describeRef(ref: GitSync['spec']['ref']): string {
  for (const kind of ['branch', 'tag', 'semver', 'commit'] as const) {
    const value = ref?.[kind];
    if (value) return `${kind} ${value}`;
  }
  return 'the remote HEAD';
}
