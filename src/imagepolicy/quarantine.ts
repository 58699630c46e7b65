// Image quarantine: a tag whose canary failed is never chosen again until someone lifts it with
// `wren image unquarantine`. Pure: the next status.quarantined follows from the stored list, the
// Canaries of the policy's namespace and an unquarantine request; the reconciler turns what newly
// happened into Events and chooses again at once. The list is the memory: a Canary shows only its
// latest run, so an entry stays (lifted entries too, with liftedAt) and the same failure is never
// quarantined twice.
import type { Canary } from '../api/canary.ts';
import { rfc3339 } from '../api/conditions.ts';
import type { ImagePolicy } from '../api/image-policy.ts';
import { isNewRequest } from '../gitsync/sync-request.ts';
import { tagOfPolicyImage } from './policy-image.ts';
import { requestedTag, UNQUARANTINE_ANNOTATION } from './unquarantine-request.ts';

export type QuarantineEntry = NonNullable<NonNullable<ImagePolicy['status']>['quarantined']>[number];

/** Lifted entries beyond this many are dropped, oldest first (never one a Canary still shows). */
export const MAX_QUARANTINE_ENTRIES = 50;

export interface QuarantineFacts {
  /** The policy's namespace, spec.gitSyncRef.name and spec.image. */
  namespace: string;
  gitSync: string;
  image: string;
  quarantined: QuarantineEntry[] | undefined;
  /** Canaries to look at; those of another namespace or GitSync are ignored. */
  canaries: Canary[];
  /** The wren.dev/unquarantine annotation. */
  unquarantine: string | undefined;
  lastHandledUnquarantine: string | undefined;
  now: Date;
}

export interface UnquarantineOutcome {
  /** The annotation value handled, for status.lastHandledUnquarantine. */
  request: string;
  tag: string | undefined;
  lifted: QuarantineEntry[];
  /** Why nothing was lifted. */
  problem?: string;
}

export interface QuarantineOutcome {
  quarantined: QuarantineEntry[];
  /** Entries new in this reconcile, one Event each. */
  added: QuarantineEntry[];
  unquarantine?: UnquarantineOutcome;
}

/** Whether the outcome changes what the policy may choose or what status records. */
export function quarantineChanged(outcome: QuarantineOutcome): boolean {
  return outcome.added.length > 0 || outcome.unquarantine !== undefined;
}

export function nextQuarantine(facts: QuarantineFacts): QuarantineOutcome {
  const failures = facts.canaries.flatMap((canary) => failuresOf(canary, facts));
  const previous = facts.quarantined ?? [];
  const added: QuarantineEntry[] = [];
  for (const failure of failures) {
    if (![...previous, ...added].some((entry) => sameFailure(entry, failure))) added.push(failure);
  }
  let quarantined = [...previous, ...added];
  let unquarantine: UnquarantineOutcome | undefined;
  if (facts.unquarantine !== undefined && isNewRequest(facts.unquarantine, facts.lastHandledUnquarantine)) {
    ({ quarantined, unquarantine } = lift(quarantined, facts.unquarantine, facts.now));
  }
  return { quarantined: pruned(quarantined, failures), added, ...(unquarantine ? { unquarantine } : {}) };
}

/** The tags the policy must not choose, each with the reason the scan reports. */
export function quarantinedTags(entries: QuarantineEntry[] | undefined): Map<string, string> {
  const tags = new Map<string, string>();
  for (const entry of entries ?? []) {
    if (!entry.liftedAt && !tags.has(entry.tag)) tags.set(entry.tag, `quarantined: canary ${entry.canary} failed`);
  }
  return tags;
}

/** The registry's tags less the quarantined ones, which are reported as skipped. */
export function withoutQuarantined(
  tags: string[],
  quarantined: ReadonlyMap<string, string>,
): { allowed: string[]; skipped: { tag: string; reason: string }[] } {
  const allowed: string[] = [];
  const skipped: { tag: string; reason: string }[] = [];
  for (const tag of tags) {
    const reason = quarantined.get(tag);
    if (reason === undefined) allowed.push(tag);
    else skipped.push({ tag, reason });
  }
  return { allowed, skipped };
}

export function sameFailure(a: QuarantineEntry, b: QuarantineEntry): boolean {
  return a.tag === b.tag && a.canary === b.canary && (a.revision ?? '') === (b.revision ?? '');
}

/**
 * The tags of this policy's image that a failed Canary released from this policy's GitSync. An image
 * the run did not change (the primary ran it already) is not what failed, so it is left alone.
 */
function failuresOf(canary: Canary, facts: QuarantineFacts): QuarantineEntry[] {
  const status = canary.status;
  const release = status?.release;
  if (canary.metadata?.namespace !== facts.namespace || status?.phase !== 'Failed') return [];
  if (release?.gitSync !== `${facts.namespace}/${facts.gitSync}`) return [];
  const tags = new Set<string>();
  for (const { image, primaryImage } of release.images ?? []) {
    if (image === primaryImage) continue;
    const tag = tagOfPolicyImage(facts.image, image);
    if (tag) tags.add(tag);
  }
  const reason = [status.reason, status.message].filter(Boolean).join(': ') || 'Failed';
  return [...tags].map((tag) => ({
    tag,
    canary: `${facts.namespace}/${canary.metadata?.name ?? ''}`,
    ...(release.revision ? { revision: release.revision } : {}),
    reason,
    time: rfc3339(facts.now),
  }));
}

function lift(
  entries: QuarantineEntry[],
  request: string,
  now: Date,
): { quarantined: QuarantineEntry[]; unquarantine: UnquarantineOutcome } {
  const tag = requestedTag(request);
  if (tag === undefined) {
    return {
      quarantined: entries,
      unquarantine: { request, tag, lifted: [], problem: `${UNQUARANTINE_ANNOTATION} "${request}" is not "<tag>@<RFC3339 time>"` },
    };
  }
  const lifted: QuarantineEntry[] = [];
  const quarantined = entries.map((entry) => {
    if (entry.tag !== tag || entry.liftedAt) return entry;
    const liftedEntry = { ...entry, liftedAt: rfc3339(now) };
    lifted.push(liftedEntry);
    return liftedEntry;
  });
  if (lifted.length > 0) return { quarantined, unquarantine: { request, tag, lifted } };
  const held = [...quarantinedTags(entries).keys()];
  const problem = `${tag} is not quarantined (${held.length > 0 ? `quarantined: ${held.join(', ')}` : 'no tag is quarantined'})`;
  return { quarantined, unquarantine: { request, tag, lifted, problem } };
}

function pruned(entries: QuarantineEntry[], failures: QuarantineEntry[]): QuarantineEntry[] {
  let excess = entries.length - MAX_QUARANTINE_ENTRIES;
  if (excess <= 0) return entries;
  return entries.filter((entry) => {
    if (excess <= 0 || !entry.liftedAt || failures.some((failure) => sameFailure(entry, failure))) return true;
    excess -= 1;
    return false;
  });
}
