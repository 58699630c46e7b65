// The decision core: (spec, status, observations, now) → (next status, desired cluster state,
// transition to announce, when to look again). Pure; the controller does everything else.
import { transition } from 'xstate';
import type { CanaryPhase, CanaryStatusType } from '../api/canary.ts';
import { rfc3339 } from '../api/conditions.ts';
import { desiredState } from './desired-state.ts';
import type { EngineInput, EngineOutput, Notice, Transition } from './engine-types.ts';
import { canaryMachine } from './machine.ts';
import { ruleMetrics } from './metric-limits.ts';
import { nextAnalysisAt, progressDeadlineMs, unreadySince } from './run-steps.ts';
import { intervalMs } from './schedule.ts';

const WARNING_REASONS = new Set([
  'FailedChecks',
  'FailureLimitExceeded',
  'InconclusiveLimitExceeded',
  'NoData',
  'ProgressDeadlineExceeded',
  'PrimaryDeadlineExceeded',
  'Aborted',
]);
/** While waiting on webhooks or a rolling workload with no event to wake us, look again this often. */
const POLL_MS = 10_000;

function phaseOf(status: CanaryStatusType): CanaryPhase {
  return status.phase ? status.phase : 'Initializing';
}

export function decide(rawInput: EngineInput): EngineOutput {
  const input = withMetricLimits(withoutHandledRequest(rawInput));
  const before = input.status;
  const from = phaseOf(before);
  if (input.spec.suspend && !input.observed.deleting) return suspended(input, from);

  const snapshot = canaryMachine.resolveState({ value: from, context: before });
  const [next] = transition(canaryMachine, snapshot, { type: 'OBSERVE', input });
  const to = next.value as CanaryPhase;
  let status: CanaryStatusType = { ...next.context, phase: to };

  const request = input.observed.request;
  if (request && status.lastHandledRequest !== request.id) {
    const acted = to !== from || status.reason !== before.reason || status.currentStep !== before.currentStep;
    status = {
      ...status,
      lastHandledRequest: request.id,
      ...(acted ? {} : { message: `\`wren ${request.action}\` has nothing to act on while the canary is ${to}` }),
    };
  }
  let announced: Transition | undefined;
  if (to !== from || status.reason !== before.reason) {
    status.lastTransitionTime = rfc3339(input.now);
    announced = {
      from,
      to,
      reason: status.reason ?? to,
      message: status.message ?? '',
      warning: WARNING_REASONS.has(status.reason ?? ''),
    };
  }
  return {
    status,
    desired: desiredState(to, status, input),
    ...(announced ? { transition: announced } : {}),
    notices: announced ? [] : checkNotices(status, before, input),
    ...requeue(to, status, before, input),
  };
}

function checkNotices(status: CanaryStatusType, before: CanaryStatusType, input: EngineInput): Notice[] {
  const unreachable = input.observed.verdict?.unreachable;
  // Said once when the metrics go away, not at every interval they stay away.
  if (unreachable !== undefined && input.observed.verdict?.inconclusive === undefined) {
    if (before.message?.startsWith('metrics unavailable: ')) return [];
    return [{ reason: 'MetricsUnavailable', message: status.message ?? unreachable, warning: true }];
  }
  // Said when what is inconclusive changes, not at every interval it stays so.
  if (input.observed.verdict?.inconclusive !== undefined && status.message?.startsWith('inconclusive: ')) {
    return status.message === before.message ? [] : [{ reason: 'Inconclusive', message: status.message, warning: false }];
  }
  if ((status.failedChecks ?? 0) <= (before.failedChecks ?? 0)) return [];
  const checks = input.observed.verdict?.checks ?? input.observed.preRollout?.checks ?? [];
  return [
    {
      reason: 'CheckFailed',
      message: status.message ?? 'a check failed',
      warning: true,
      failedChecks: checks.filter((check) => !check.passed).map((check) => check.name),
    },
  ];
}

/** The step's checks as each metric's limits read them, with the counts they come to. */
function withMetricLimits(input: EngineInput): EngineInput {
  const verdict = input.observed.verdict;
  if (!verdict) return input;
  const { verdict: read, ...limits } = ruleMetrics(input.spec.analysis.metrics, input.status.metricCounts, verdict.checks);
  return { ...input, observed: { ...input.observed, verdict: read }, limits };
}

/** A request stays on the object after it is handled; it must act only once. */
function withoutHandledRequest(input: EngineInput): EngineInput {
  const request = input.observed.request;
  if (!request || request.id !== input.status.lastHandledRequest) return input;
  const { request: _handled, ...observed } = input.observed;
  return { ...input, observed };
}

function suspended(input: EngineInput, phase: CanaryPhase): EngineOutput {
  const status = { ...input.status, phase, message: 'suspended: spec.suspend is true; nothing changes until it is cleared' };
  return {
    status,
    notices: [],
    desired: {
      primary: 'unchanged',
      targetReplicas: undefined,
      routes: input.observed.routes ?? { primaryWeight: 100, canaryWeight: 0 },
      finalize: 'none',
    },
  };
}

function requeue(phase: CanaryPhase, status: CanaryStatusType, before: CanaryStatusType, input: EngineInput): { requeueAfterMs?: number } {
  const changed = status.phase !== before.phase || status.currentStep !== before.currentStep || status.reason !== before.reason;
  if (changed) return { requeueAfterMs: 0 };
  const now = input.now.getTime();
  switch (phase) {
    case 'Progressing':
    case 'WaitingPromotion': {
      // The step timer and the readiness deadline are known; readiness changes arrive as watch events.
      // Checks already under way queue the Canary again when they finish, so their due time is no
      // reason to come back: doing so at once would spin until they are in.
      // A run paused for a person is judged no more: it waits for `wren promote` or `wren abort`.
      const due = input.observed.checksPending || status.pausedFor !== undefined ? undefined : nextAnalysisAt(status, input);
      const waitingSince = input.observed.target.readiness.ready ? Number.NaN : unreadySince(status, 'target');
      const deadline = Number.isFinite(waitingSince) ? waitingSince + progressDeadlineMs(input) + 1 : undefined;
      const candidates = [due, deadline].filter((value): value is number => value !== undefined);
      const next = candidates.length > 0 ? Math.min(...candidates) : now + POLL_MS;
      return { requeueAfterMs: Math.max(0, next - now) };
    }
    case 'Promoting': {
      const waitingSince = unreadySince(status, 'primary');
      const deadline = Number.isFinite(waitingSince) ? waitingSince + progressDeadlineMs(input) + 1 : now + POLL_MS;
      const nextShift = Date.parse(status.stepStartedAt ?? '') + intervalMs(input.spec.analysis);
      const next = Math.min(deadline, now + POLL_MS, Number.isFinite(nextShift) && nextShift > now ? nextShift : Infinity);
      return { requeueAfterMs: Math.max(0, next - now) };
    }
    case 'Waiting':
    case 'Initializing':
    case 'Finalising':
    case 'Terminating':
      return { requeueAfterMs: POLL_MS };
    default:
      return {};
  }
}
