// What an unquarantine request lifted: the entries of the tag that carry liftedAt after the request
// was handled and did not before it. Comparing the two lists, rather than reading liftedAt's time,
// stays right when a second request or a new failure comes in between.
import { sameFailure, type QuarantineEntry } from '../../imagepolicy/quarantine.ts';

export function liftedEntries(before: QuarantineEntry[] | undefined, after: QuarantineEntry[] | undefined, tag: string): QuarantineEntry[] {
  return (after ?? []).filter(
    (entry) => entry.tag === tag && entry.liftedAt && !(before ?? []).some((old) => old.liftedAt && sameFailure(old, entry)),
  );
}

export function describeEntry(entry: QuarantineEntry): string {
  return `canary ${entry.canary} failed${entry.revision ? ` at revision ${entry.revision.slice(0, 12)}` : ''} (${entry.reason})`;
}
