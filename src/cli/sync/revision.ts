// How a GitSync's revisions and ref read on a terminal.
import type { GitSync } from '../../api/git-sync.ts';

export { shortRevision } from '../../gitsync/revision-text.ts';

/** "branch main", "tag v1.2.0", ..., or "the remote HEAD" when no ref is set. */
export function describeRef(ref: GitSync['spec']['ref']): string {
  for (const kind of ['branch', 'tag', 'semver', 'commit'] as const) {
    const value = ref?.[kind];
    if (value) return `${kind} ${value}`;
  }
  return 'the remote HEAD';
}
