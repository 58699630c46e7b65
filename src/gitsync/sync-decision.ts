// What one GitSync reconcile does, decided from facts: halt (invalid spec, out of its tenancy,
// suspended, waiting for a dependency), wait (a failed sync is not retried before its interval), or
// sync, asking the remote again or working from the last render; which trigger a sync reports; what
// Event it makes; and when to look again. Pure, so the rules are table-tested apart from Git and the
// API server (as the canary core and decidePoll are).
import { decidePoll, type PollDecision, type PollFacts } from './poll-decision.ts';
import type { SyncOutcome } from './object-applier.ts';

export const DEPENDENCY_RETRY_MS = 10_000;

export interface SyncFacts {
  /** The spec's problems, described; undefined when valid. */
  invalid: string | undefined;
  /** What the GitSync may not do under the operator's tenancy settings; undefined when allowed. */
  notAllowed: string | undefined;
  suspended: boolean;
  /** GitSyncs of spec.dependsOn that are not ready. */
  waitingFor: string[];
  poll: PollFacts;
}

export type HaltReason = 'InvalidSpec' | 'NotAllowed' | 'Suspended' | 'DependencyNotReady';

export type SyncDecision = { kind: 'halt'; reason: HaltReason; message: string; warning: boolean; retryInMs?: number } | PollDecision;

export function decideSync(facts: SyncFacts): SyncDecision {
  if (facts.invalid !== undefined) return { kind: 'halt', reason: 'InvalidSpec', message: facts.invalid, warning: true };
  if (facts.notAllowed !== undefined) return { kind: 'halt', reason: 'NotAllowed', message: facts.notAllowed, warning: true };
  if (facts.suspended) return { kind: 'halt', reason: 'Suspended', message: 'spec.suspend is true: not syncing', warning: false };
  if (facts.waitingFor.length > 0) {
    return {
      kind: 'halt',
      reason: 'DependencyNotReady',
      message: `waiting for ${facts.waitingFor.join(', ')}`,
      warning: false,
      retryInMs: DEPENDENCY_RETRY_MS,
    };
  }
  return decidePoll(facts.poll);
}

/** What the last render in this process holds, as far as reusing it goes. */
export interface RenderedFacts {
  commit: string;
  inputsDigest: string;
}

/** The last render serves again when nothing upstream changed: same commit, inputs and spec, no request. */
export function reusesRender(
  rendered: RenderedFacts | undefined,
  now: { commit: string; inputsDigest: string; specChanged: boolean; requested: boolean },
): boolean {
  return (
    rendered !== undefined &&
    !now.specChanged &&
    !now.requested &&
    rendered.inputsDigest === now.inputsDigest &&
    rendered.commit.startsWith(now.commit)
  );
}

export interface TriggerFacts {
  rollingBack: boolean;
  commit: string;
  lastAppliedRevision: string | undefined;
  requested: boolean;
  specChanged: boolean;
  generation: number | undefined;
  observedGeneration: number | undefined;
  /** Objects this sync put back after someone changed them. */
  healed: number;
}

/** What started a sync, as history and logs report it. */
export function triggerOf(facts: TriggerFacts): string {
  if (facts.rollingBack) return 'rollback';
  if (!(facts.lastAppliedRevision ?? '').startsWith(facts.commit)) return 'new revision';
  if (facts.requested) return 'request';
  if (facts.specChanged && facts.observedGeneration !== facts.generation) return 'spec change';
  return facts.healed > 0 ? 'drift' : 'interval';
}

/** The Event of a sync that changed something; undefined when it changed nothing. */
export function syncEvent(commit: string, outcome: SyncOutcome): { reason: string; message: string } | undefined {
  const changes = [
    outcome.created.length ? `${outcome.created.length} created` : '',
    outcome.updated.length ? `${outcome.updated.length} updated` : '',
    outcome.healed.length ? `${outcome.healed.length} corrected (drift: ${outcome.healed.join(', ')})` : '',
    outcome.deleted.length ? `${outcome.deleted.length} deleted` : '',
  ].filter(Boolean);
  if (changes.length === 0) return undefined;
  return { reason: outcome.healed.length ? 'DriftCorrected' : 'Synced', message: `revision ${commit.slice(0, 12)}: ${changes.join(', ')}` };
}

/** When to look again after a sync: the next poll of the remote, or sooner for a backed-off correction. */
export function nextSyncInMs(facts: { now: number; intervalMs: number; polledAt: number; retryHealInMs?: number }): number {
  const pollIn = Math.max(1000, facts.intervalMs - (facts.now - facts.polledAt));
  return Math.min(pollIn, facts.retryHealInMs ?? Infinity);
}
