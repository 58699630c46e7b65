// Whether an ImagePolicy asks its registry now or waits: pure, so the rules (interval, a request
// through the webhook or the CLI, a changed spec, a quarantined or lifted tag, a failure) are table-tested apart from the
// registry. The time of the last scan is kept in memory only: after a restart the first reconcile
// scans at once, which costs one registry listing and no write when nothing changed.
import { findCondition, type Condition } from '../api/conditions.ts';
import { isNewRequest } from '../gitsync/sync-request.ts';

export interface ScanFacts {
  now: number;
  intervalMs: number;
  generation: number | undefined;
  requestedAt: string | undefined;
  lastHandledRequestedAt: string | undefined;
  /** The last scan in this process, if any. */
  scanned: { generation: number | undefined; at: number } | undefined;
  /** A tag was quarantined or lifted in this reconcile: the policy chooses again at once. */
  quarantineChanged: boolean;
  /** Since when status has said the scan or write-back fails (Ready=False with a retried reason). */
  failingSince: number | undefined;
}

export type ScanDecision = { kind: 'wait'; retryInMs: number } | { kind: 'scan'; requested: boolean };

/** The first retry after a failure; each later one waits as long as the failure had lasted. */
export const FIRST_RETRY_MS = 5_000;

/** Reasons of a Ready=False that the next scan may clear, and so are retried before the interval. */
export const RETRIED_FAILURES: ReadonlySet<string> = new Set(['RegistryError', 'WriteBackFailed', 'GitSyncNotFound']);

/**
 * How long after a scan the next one is due: the interval, or while failing a delay that doubles
 * (it equals the failure's age at that scan) from FIRST_RETRY_MS up to the interval. Derived from
 * status, so a long interval (an hour, for a policy the registry webhook drives) never leaves a
 * transient failure standing for that long.
 */
export function scanDelayMs(intervalMs: number, scannedAt: number, failingSince: number | undefined): number {
  if (failingSince === undefined) return intervalMs;
  return Math.min(intervalMs, Math.max(FIRST_RETRY_MS, scannedAt - failingSince));
}

/** When the Ready condition started to report a failure that the next scan may clear. */
export function failingSince(conditions: Condition[] | undefined): number | undefined {
  const ready = findCondition(conditions, 'Ready');
  if (ready?.status !== 'False' || !RETRIED_FAILURES.has(ready.reason)) return undefined;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return Number.isNaN(since) ? undefined : since;
}

export function decideScan(facts: ScanFacts): ScanDecision {
  const requested = isNewRequest(facts.requestedAt, facts.lastHandledRequestedAt);
  if (requested || facts.quarantineChanged || !facts.scanned || facts.scanned.generation !== facts.generation)
    return { kind: 'scan', requested };
  const due = facts.scanned.at + scanDelayMs(facts.intervalMs, facts.scanned.at, facts.failingSince);
  if (facts.now >= due) return { kind: 'scan', requested: false };
  return { kind: 'wait', retryInMs: due - facts.now };
}
