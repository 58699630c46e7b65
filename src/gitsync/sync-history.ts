// The record of past syncs kept in status: newest first, at most ten, one entry per attempt that
// applied something or failed (a resync that found nothing to do is not history).
import type { GitSync } from '../api/git-sync.ts';

export type SyncRecord = NonNullable<NonNullable<GitSync['status']>['history']>[number];

export const HISTORY_LIMIT = 10;

export function withRecord(history: SyncRecord[] | undefined, record: SyncRecord): SyncRecord[] {
  const previous = history ?? [];
  const newest = previous[0];
  // The same failure again is one entry, not ten copies pushing the good revisions out.
  if (
    newest &&
    newest.result === 'Failed' &&
    record.result === 'Failed' &&
    newest.revision === record.revision &&
    newest.message === record.message
  ) {
    return previous;
  }
  return [record, ...previous].slice(0, HISTORY_LIMIT);
}
