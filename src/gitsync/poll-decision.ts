// Whether a reconcile must ask the remote again, or may work from what it rendered last, or must
// wait: pure, so the rules (interval, a new request, a spec change, no retry storm after a failure)
// are table-tested apart from Git and the API server.
import { isNewRequest } from './sync-request.ts';

export interface PollFacts {
  now: number;
  intervalMs: number;
  generation: number | undefined;
  /** The wren.dev/requested-at annotation and the value status says was last handled. */
  requestedAt: string | undefined;
  lastHandledRequestedAt: string | undefined;
  /** What the last render in this process saw, if any. */
  rendered: { generation: number | undefined; polledAt: number } | undefined;
  /** The last failed sync in this process, if any. */
  failed: { generation: number | undefined; at: number } | undefined;
}

export type PollDecision =
  | { kind: 'wait'; retryInMs: number }
  | { kind: 'sync'; requested: boolean; specChanged: boolean; /** ask the remote and re-read inputs */ poll: boolean };

export function decidePoll(facts: PollFacts): PollDecision {
  const requested = isNewRequest(facts.requestedAt, facts.lastHandledRequestedAt);
  const sinceFailure = facts.failed && facts.failed.generation === facts.generation ? facts.now - facts.failed.at : Infinity;
  // A failed sync is retried at the interval or on request, not on every wake-up by a watched object.
  if (!requested && sinceFailure < facts.intervalMs) return { kind: 'wait', retryInMs: facts.intervalMs - sinceFailure };
  const specChanged = !facts.rendered || facts.rendered.generation !== facts.generation;
  const poll = specChanged || requested || facts.now - (facts.rendered?.polledAt ?? 0) >= facts.intervalMs;
  return { kind: 'sync', requested, specChanged, poll };
}
