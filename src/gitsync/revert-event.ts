// The Event that tells people what Wren did in Git after a failed release: where the revert went, or
// why there is none.
import type { ReleaseEntry } from './release-tracking.ts';

type Revert = NonNullable<ReleaseEntry['revert']>;

export function revertEvent(entry: ReleaseEntry, revert: Revert): { type: 'Normal' | 'Warning'; reason: string; message: string } {
  const release = `canary ${entry.canary} failed revision ${entry.revision.slice(0, 12)}`;
  if (revert.error) return { type: 'Warning', reason: 'RevertFailed', message: `${release}; no revert written: ${revert.error}` };
  if (!revert.commit) return { type: 'Normal', reason: 'Reverted', message: `${release}; ${revert.branch} already holds the revert` };
  return {
    type: 'Normal',
    reason: 'Reverted',
    message: `${release}; revert ${revert.commit.slice(0, 12)} pushed to ${revert.branch} (${(revert.files ?? []).join(', ')})`,
  };
}
