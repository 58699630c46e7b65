// Which commit `wren sync rollback` (and the dashboard) holds the cluster at: one the GitSync has synced before, so a
// rollback never lands on a revision nobody has seen rendered.
import type { GitSync } from '../api/git-sync.ts';
import { shortRevision } from './revision-text.ts';

export type RevisionPick = { revision: string } | { error: string };

/**
 * Without `wanted`: the newest successful revision other than the one applied now. With `wanted`: the
 * one revision of the history it is a prefix of.
 */
export function pickRollbackRevision(gitSync: GitSync, wanted?: string): RevisionPick {
  const id = `${gitSync.metadata?.namespace}/${gitSync.metadata?.name}`;
  const history = gitSync.status?.history ?? [];
  const applied = gitSync.status?.lastAppliedRevision;
  if (wanted === undefined) {
    const previous = history.find((record) => record.result === 'Succeeded' && record.revision !== applied);
    if (previous) return { revision: previous.revision };
    const other = applied ? ` other than the applied one (${shortRevision(applied)})` : '';
    return { error: `the history of ${id} has no successful revision${other} to roll back to` };
  }
  const known = [...new Set(history.map((record) => record.revision))];
  const prefix = wanted.toLowerCase();
  const matches = prefix ? known.filter((revision) => revision.startsWith(prefix)) : [];
  if (matches.length === 1) return { revision: matches[0] as string };
  if (matches.length > 1) {
    return { error: `revision ${wanted} is ambiguous in the history of ${id}: it starts ${matches.join(', ')}; give more characters` };
  }
  const list = known.length === 0 ? 'none' : known.map(shortRevision).join(', ');
  return { error: `revision ${wanted} is not in the history of ${id}; known: ${list}` };
}
