// A commit as people read it.

/** The first 7 characters of a full commit SHA, as git log --oneline prints it; anything else unchanged. */
export function shortRevision(revision: string | undefined): string {
  if (!revision) return '-';
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
}
