// The seam through which a GitSync has a failed release reverted in Git (spec.onCanaryFailure): the
// reconciler decides when (release-tracking.ts), the implementation in src/release writes the commit.
import type { Canary } from '../api/canary.ts';
import type { GitSync } from '../api/git-sync.ts';
import type { ReleaseEntry } from './release-tracking.ts';

/** A pushed revert, a revert Git already holds (no commit), or why none could be written. */
export type RevertOutcome = { branch: string; commit?: string; files: string[] } | { error: string };

export interface CanaryReverter {
  revert(sync: GitSync, entry: ReleaseEntry, canary: Canary): Promise<RevertOutcome>;
}
