// Whether an ImagePolicy asks its registry now or waits: pure, so the rules (interval, a request
// through the webhook or the CLI, a changed spec) are table-tested apart from the registry. The time
// of the last scan is kept in memory only: after a restart the first reconcile scans at once, which
// costs one registry listing and no write when nothing changed.
export interface ScanFacts {
  now: number;
  intervalMs: number;
  generation: number | undefined;
  requestedAt: string | undefined;
  lastHandledRequestedAt: string | undefined;
  /** The last scan in this process, if any. */
  scanned: { generation: number | undefined; at: number } | undefined;
}

export type ScanDecision = { kind: 'wait'; retryInMs: number } | { kind: 'scan'; requested: boolean };

export function decideScan(facts: ScanFacts): ScanDecision {
  const requested = facts.requestedAt !== undefined && facts.requestedAt !== facts.lastHandledRequestedAt;
  if (requested || !facts.scanned || facts.scanned.generation !== facts.generation) return { kind: 'scan', requested };
  const since = facts.now - facts.scanned.at;
  if (since >= facts.intervalMs) return { kind: 'scan', requested: false };
  return { kind: 'wait', retryInMs: facts.intervalMs - since };
}
