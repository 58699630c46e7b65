// The canary lifecycle as an xstate machine: states are Flagger's phases, and one OBSERVE event per
// reconcile carries everything observed. Transitions are tried in order, so each state's list reads
// as its priorities: deletion, then manual requests, then new revisions, then deadlines, then the
// step logic. The machine only rewrites status; what to do in the cluster follows from the phase
// (desired-state.ts). It is used only through xstate's pure transition(): no actors, no timers.
import { and, assign, not, setup } from 'xstate';
import type { CanaryStatusType } from '../api/canary.ts';
import { rfc3339 } from '../api/conditions.ts';
import type { EngineInput } from './engine-types.ts';
import { guards, provenNoWorse, type Guard } from './guards.ts';
import { enterStep, failedCheckSummary, freshRun, notReadySince, recordChecks } from './run-steps.ts';

type Status = CanaryStatusType;
export interface ObserveEvent {
  type: 'OBSERVE';
  input: EngineInput;
}

type Update = (status: Status, input: EngineInput) => Partial<Status>;
const update = (fn: Update) =>
  assign<Status, ObserveEvent, undefined, ObserveEvent, never>(({ context, event }) => fn(context, event.input));
const because =
  (reason: string, message: Update | string): Update =>
  (status, input) => ({
    reason,
    message: typeof message === 'string' ? message : (message(status, input).message as string),
  });
const describe =
  (fn: (status: Status, input: EngineInput) => string): Update =>
  (status, input) => ({ message: fn(status, input) });

const target = (input: EngineInput) => input.spec.targetRef.name;
/** The checks judged this round: the step's analysis, or the pre-rollout hooks before the first step. */
const judged = (input: EngineInput) => input.observed.verdict?.checks ?? input.observed.preRollout?.checks ?? [];
const revision = (input: EngineInput) => input.observed.targetRevision;
/** What holds the step: inconclusive checks, metrics servers that gave no answer, or both. */
const heldMessage = (input: EngineInput) => {
  const verdict = input.observed.verdict;
  const why = [
    verdict?.inconclusive !== undefined ? `inconclusive: ${verdict.inconclusive}` : undefined,
    verdict?.unreachable !== undefined || verdict?.inconclusive === undefined
      ? `metrics unavailable: ${verdict?.unreachable ?? 'no answer'}`
      : undefined,
  ];
  return why.filter((part) => part !== undefined).join('; ');
};
/** The per-metric counts this step came to, when a step was judged. */
const counted = (input: EngineInput): Partial<Status> => (input.limits ? { metricCounts: input.limits.counts } : {});
const stepNumber = (status: Status) => (status.currentStep ?? 0) + 1;

const updates = {
  initialize: (_status, input) => ({
    ...freshRun(input),
    currentStep: undefined,
    lastPromotedSpec: revision(input),
    reason: 'Initialized',
    message: `${target(input)}-primary is ready; ${target(input)} is scaled to zero until its next revision`,
  }),
  // Waiting messages stay the same while waiting, so progress of a rollout costs no status writes.
  awaitPrimary: describe((_status, input) => `waiting for ${target(input)}-primary to be ready`),
  // While a check is under way the message stays as it was, so waiting for a metrics server that is
  // down costs no status write (and wakes nothing) per attempt.
  awaitMetricsServer: describe((status, input) => {
    if (input.observed.metricsOffline) return `waiting for the metrics server: ${input.observed.metricsOffline}`;
    if (input.observed.checksPending && status.message?.startsWith('waiting for the metrics server')) return status.message;
    return `${target(input)}-primary is ready; checking the metrics server`;
  }),
  startRun: (_status, input) => ({
    ...freshRun(input),
    release: input.observed.release,
    ...because('NewRevision', `new revision ${revision(input)} of ${target(input)}: waiting for it to be ready, then step 1`)(
      _status,
      input,
    ),
  }),
  restartRun: (_status, input) => ({
    ...freshRun(input),
    release: input.observed.release,
    ...because('RevisionChanged', `revision ${revision(input)} arrived during the run: analysis starts over`)(_status, input),
  }),
  retryRun: (_status, input) => ({
    ...freshRun(input),
    release: input.observed.release,
    ...because('Retry', `retrying revision ${revision(input)} as requested`)(_status, input),
  }),
  awaitRolloutGate: (_status, input) => ({
    lastAppliedSpec: revision(input),
    release: input.observed.release,
    trackedConfigs: input.observed.trackedConfigs,
    reason: 'WaitingForApproval',
    message: `revision ${revision(input)} waits for the confirm-rollout webhook or \`wren promote\``,
  }),
  revertToPrimary: (_status, input) => ({
    ...freshRun(input),
    currentStep: undefined,
    reason: 'RevertedToPrimary',
    message: `${target(input)} is back at the revision the primary runs; nothing to release`,
  }),
  // Before the first step the run's start is the deadline's start; only a canary that stops being
  // ready mid-run needs a timer of its own.
  markNotReady: (status, input) =>
    (status.currentStep ?? -1) < 0
      ? {}
      : { notReadySince: notReadySince(status, false, input), message: `waiting for ${target(input)} to be ready again` },
  enterFirstStep: (_status, input) => ({
    ...enterStep(0, input),
    notReadySince: undefined,
    message: `${target(input)} is ready; step 1 of the run`,
  }),
  markReadyAgain: (_status, input) => ({ notReadySince: undefined, message: `${target(input)} is ready again` }),
  recordFailure: (status, input) => ({
    notReadySince: undefined,
    failedChecks: (status.failedChecks ?? 0) + 1,
    lastAnalysisAt: rfc3339(input.now),
    checks: recordChecks(status, judged(input), input),
    ...counted(input),
    message: `check failed (${(status.failedChecks ?? 0) + 1}/${input.spec.analysis.threshold}): ${failedCheckSummary(judged(input))}`,
  }),
  // The message names what holds the step and stays the same while it does: no new Event per interval.
  recordHeld: (status, input) => ({
    lastAnalysisAt: rfc3339(input.now),
    checks: recordChecks(status, judged(input), input),
    ...counted(input),
    message: `${heldMessage(input)}; step ${stepNumber(status)} holds and nothing is promoted until ${
      input.observed.verdict?.inconclusive === undefined ? 'it answers' : 'it is judged'
    }`,
  }),
  pauseForPerson: (status, input) => ({
    lastAnalysisAt: rfc3339(input.now),
    checks: recordChecks(status, judged(input), input),
    ...counted(input),
    pausedFor: input.limits?.pause?.reason,
    reason: input.limits?.pause?.reason,
    message: `paused at step ${stepNumber(status)}: ${input.limits?.pause?.message ?? ''}; run \`wren promote\` to continue or \`wren abort\` to roll back`,
  }),
  // A person who continues a paused run vouches for the held step; inconclusiveLimit starts afresh.
  continueAfterPause: (status) => ({
    pausedFor: undefined,
    reason: 'Resumed',
    metricCounts: (status.metricCounts ?? []).map((count) => ({ ...count, inconclusive: 0 })),
  }),
  recordPass: (status, input) => ({
    notReadySince: undefined,
    iterations: (status.iterations ?? 0) + 1,
    lastAnalysisAt: rfc3339(input.now),
    checks: recordChecks(status, input.observed.verdict?.checks ?? [], input),
    ...counted(input),
  }),
  holdAtPause: describe(
    (status, input) =>
      `paused at step ${(status.currentStep ?? 0) + 1} (weight ${status.canaryWeight ?? 0}): run \`wren promote\` to continue`,
  ),
  holdForTrafficGate: describe(() => 'checks pass; waiting for the confirm-traffic-increase webhook'),
  advance: (status, input) => ({
    ...enterStep((status.currentStep ?? -1) + 1, input),
    message: `step ${(status.currentStep ?? -1) + 2}: canary weight ${enterStep((status.currentStep ?? -1) + 1, input).canaryWeight}`,
  }),
  awaitPromotionGate: () => ({
    reason: 'WaitingForPromotion',
    message: 'analysis passed; promotion waits for the confirm-promotion webhook or `wren promote`',
  }),
  startPromotion: (_status, input) => ({
    notReadySince: undefined,
    pausedFor: undefined,
    stepStartedAt: rfc3339(input.now),
    reason: input.observed.request
      ? 'PromotionRequested'
      : input.spec.skipAnalysis
        ? 'AnalysisSkipped'
        : provenNoWorse(input)
          ? 'ProvenNoWorse'
          : 'AnalysisPassed',
    message: `promoting revision ${input.observed.targetRevision}: copying ${target(input)} to ${target(input)}-primary`,
  }),
  shiftToPrimary: (status, input) => ({
    canaryWeight: Math.max(0, (status.canaryWeight ?? 0) - (input.spec.analysis.stepWeightPromotion ?? 100)),
    stepStartedAt: rfc3339(input.now),
    notReadySince: undefined,
    message: `promoting: shifting traffic to ${target(input)}-primary`,
  }),
  finalise: (status, input) => ({
    lastPromotedSpec: status.lastAppliedSpec,
    canaryWeight: 0,
    notReadySince: undefined,
    reason: 'Finalising',
    message: `${target(input)}-primary runs revision ${status.lastAppliedSpec}; routing all traffic to it and scaling ${target(input)} to zero`,
  }),
  succeed: (status, input) => ({
    reason: 'Succeeded',
    message: `revision ${status.lastAppliedSpec} of ${target(input)} is promoted`,
  }),
  terminate: (_status, input) => ({
    reason: 'Terminating',
    message: `restoring ${target(input)} before the Canary is removed`,
  }),
  terminated: () => ({ reason: 'Terminated', message: 'the target serves again; the Canary can go' }),
} satisfies Record<string, Update>;

const rollback =
  (reason: string, message: Update): Update =>
  (status, input) => ({
    canaryWeight: 0,
    notReadySince: undefined,
    pausedFor: undefined,
    reason,
    message: message(status, input).message as string,
  });

const rollbacks = {
  rollbackAborted: rollback('Aborted', () => ({ message: 'aborted with `wren abort`: all traffic back to the primary' })),
  rollbackFailedChecks: rollback('FailedChecks', (status, input) => ({
    message: `${status.failedChecks ?? 0} failed checks reached the threshold of ${input.spec.analysis.threshold}: ${failedCheckSummary(judged(input))}`,
  })),
  rollbackFailureLimit: rollback('FailureLimitExceeded', (_status, input) => ({
    message: `${input.limits?.failureLimitExceeded ?? 'a metric failed more often than its failureLimit'}: all traffic back to the primary`,
  })),
  rollbackRequestedByHook: rollback('RollbackHook', () => ({
    message: 'a rollback webhook asked for a rollback: all traffic back to the primary',
  })),
  rollbackCanaryDeadline: rollback('ProgressDeadlineExceeded', (_status, input) => ({
    message: `${target(input)} was not ready within ${input.spec.progressDeadlineSeconds ?? 600}s: ${input.observed.target.readiness.waitingFor ?? ''}`,
  })),
  rollbackPrimaryDeadline: rollback('PrimaryDeadlineExceeded', (_status, input) => ({
    message: `${target(input)}-primary did not roll out within ${input.spec.progressDeadlineSeconds ?? 600}s: ${input.observed.primary.readiness.waitingFor ?? ''}; traffic stays where pods are ready`,
  })),
} satisfies Record<string, Update>;

type Named<T> = { [K in keyof T]: ReturnType<typeof update> };
const namedActions = Object.fromEntries(Object.entries({ ...updates, ...rollbacks }).map(([name, fn]) => [name, update(fn)])) as Named<
  typeof updates & typeof rollbacks
>;
const namedGuards = Object.fromEntries(
  Object.entries(guards).map(([name, guard]) => [
    name,
    ({ context, event }: { context: Status; event: ObserveEvent }) => (guard as Guard)(context, event.input),
  ]),
) as { [K in keyof typeof guards]: (args: { context: Status; event: ObserveEvent }) => boolean };

const onDelete = { guard: 'deleting', target: 'Terminating', actions: 'terminate' } as const;
const onAbort = { guard: 'abortRequested', target: 'Failed', actions: 'rollbackAborted' } as const;
const onRollbackHook = { guard: 'rollbackHookFired', target: 'Failed', actions: 'rollbackRequestedByHook' } as const;
const onRevert = { guard: 'revertedToPrimary', target: 'Initialized', actions: 'revertToPrimary' } as const;
const onNewRevision = { guard: 'revisionChanged', target: 'Progressing', reenter: true, actions: 'restartRun' } as const;
/** What interrupts a run in any of its phases, most important first. */
const runInterruptions = [
  onDelete,
  onAbort,
  onRollbackHook,
  onRevert,
  onNewRevision,
  { guard: 'canaryDeadlineExceeded', target: 'Failed', actions: 'rollbackCanaryDeadline' },
] as const;
/**
 * A judged step that did not pass: a metric over its failureLimit fails the run; failed checks count
 * toward analysis.threshold; then a limit may pause the run for a person; else the step holds.
 */
const onNotPassed = [
  { guard: and(['analysisDue', 'failureLimitExceeded']), target: 'Failed', actions: ['recordFailure', 'rollbackFailureLimit'] },
  { guard: and(['analysisDue', 'checkFailed', 'thresholdReached']), target: 'Failed', actions: ['recordFailure', 'rollbackFailedChecks'] },
  { guard: and(['analysisDue', 'checkFailed']), actions: 'recordFailure' },
  { guard: and(['analysisDue', 'pauseForPerson']), actions: 'pauseForPerson' },
  { guard: and(['analysisDue', 'checksHeld']), actions: 'recordHeld' },
] as const;
/** Paused for a person, the run is judged no more: only `wren promote`, `wren abort` or an interruption move it. */
const onPausedForPerson = { guard: 'pausedForPerson' } as const;

/** In a steady phase (nothing being released), a new revision starts a run. */
const steady = (extra: readonly object[] = []) => ({
  on: {
    OBSERVE: [
      onDelete,
      ...extra,
      onRevert,
      // The confirm-rollout answer is still on its way: decide when it is here.
      { guard: and(['revisionChanged', 'checksPending']) },
      { guard: and(['revisionChanged', 'rolloutGateClosed']), target: 'Waiting', actions: 'awaitRolloutGate' },
      { guard: 'revisionChanged', target: 'Progressing', actions: 'startRun' },
    ],
  },
});

export const canaryMachine = setup({
  types: { context: {} as Status, events: {} as ObserveEvent, input: {} as Status },
  actions: namedActions,
  guards: namedGuards,
}).createMachine({
  id: 'canary',
  context: ({ input }) => input,
  initial: 'Initializing',
  states: {
    Initializing: {
      on: {
        OBSERVE: [
          onDelete,
          { guard: and(['primaryReadyWithTarget', 'metricsUnverified']), actions: 'awaitMetricsServer' },
          { guard: 'primaryReadyWithTarget', target: 'Initialized', actions: 'initialize' },
          { actions: 'awaitPrimary' },
        ],
      },
    },
    Initialized: steady(),
    Succeeded: steady(),
    Failed: steady([{ guard: 'retryRequested', target: 'Progressing', actions: 'retryRun' }]),
    Waiting: {
      on: {
        OBSERVE: [
          onDelete,
          onAbort,
          onRollbackHook,
          onRevert,
          { guard: 'revisionChanged', actions: 'awaitRolloutGate' },
          { guard: 'promoteRequested', target: 'Progressing', actions: 'startRun' },
          { guard: 'checksPending' },
          { guard: 'rolloutGateClosed' },
          { target: 'Progressing', actions: 'startRun' },
        ],
      },
    },
    Progressing: {
      on: {
        OBSERVE: [
          ...runInterruptions,
          { guard: 'fullPromoteRequested', target: 'Promoting', actions: 'startPromotion' },
          {
            guard: and(['promoteRequested', 'pausedForPerson', 'lastStep']),
            target: 'Promoting',
            actions: ['continueAfterPause', 'startPromotion'],
          },
          { guard: and(['promoteRequested', 'pausedForPerson']), actions: ['continueAfterPause', 'advance'] },
          { guard: and(['promoteRequested', 'atIndefinitePause', 'lastStep']), target: 'Promoting', actions: 'startPromotion' },
          { guard: and(['promoteRequested', 'atIndefinitePause']), actions: 'advance' },
          { guard: 'promoteRequested', target: 'Promoting', actions: 'startPromotion' },
          onPausedForPerson,
          { guard: not('canaryReady'), actions: 'markNotReady' },
          { guard: 'skipAnalysis', target: 'Promoting', actions: 'startPromotion' },
          {
            guard: and(['notStarted', 'preRolloutFailed', 'thresholdReached']),
            target: 'Failed',
            actions: ['recordFailure', 'rollbackFailedChecks'],
          },
          { guard: and(['notStarted', 'preRolloutFailed']), actions: 'recordFailure' },
          { guard: and(['notStarted', 'preRolloutRequired']) },
          { guard: 'notStarted', actions: 'enterFirstStep' },
          ...onNotPassed,
          // A comparison that proves the canary no worse may end the schedule early (promoteWhenProven).
          {
            guard: and(['analysisDue', 'provenNoWorse', 'promotionGateClosed']),
            target: 'WaitingPromotion',
            actions: ['recordPass', 'awaitPromotionGate'],
          },
          { guard: and(['analysisDue', 'provenNoWorse']), target: 'Promoting', actions: ['recordPass', 'startPromotion'] },
          {
            guard: and(['analysisDue', 'stepComplete', 'lastStep', 'promotionGateClosed']),
            target: 'WaitingPromotion',
            actions: ['recordPass', 'awaitPromotionGate'],
          },
          { guard: and(['analysisDue', 'stepComplete', 'lastStep']), target: 'Promoting', actions: ['recordPass', 'startPromotion'] },
          { guard: and(['analysisDue', 'stepComplete', 'trafficGateClosed']), actions: ['recordPass', 'holdForTrafficGate'] },
          { guard: and(['analysisDue', 'stepComplete']), actions: ['recordPass', 'advance'] },
          { guard: and(['analysisDue', 'atIndefinitePause']), actions: ['recordPass', 'holdAtPause'] },
          { guard: 'analysisDue', actions: 'recordPass' },
          { guard: 'recovered', actions: 'markReadyAgain' },
        ],
      },
    },
    WaitingPromotion: {
      on: {
        OBSERVE: [
          ...runInterruptions,
          { guard: 'promoteRequested', target: 'Promoting', actions: 'startPromotion' },
          onPausedForPerson,
          { guard: not('canaryReady'), actions: 'markNotReady' },
          ...onNotPassed,
          { guard: and(['analysisDue', 'promotionGateClosed']), actions: 'recordPass' },
          { guard: 'analysisDue', target: 'Promoting', actions: ['recordPass', 'startPromotion'] },
          { guard: 'recovered', actions: 'markReadyAgain' },
        ],
      },
    },
    Promoting: {
      on: {
        OBSERVE: [
          onDelete,
          onAbort,
          onRevert,
          onNewRevision,
          { guard: 'primaryDeadlineExceeded', target: 'Failed', actions: 'rollbackPrimaryDeadline' },
          { guard: and(['primaryReadyWithRun', 'promotionShiftRemaining', 'promotionShiftDue']), actions: 'shiftToPrimary' },
          { guard: and(['primaryReadyWithRun', 'promotionShiftRemaining']) },
          { guard: 'primaryReadyWithRun', target: 'Finalising', actions: 'finalise' },
        ],
      },
    },
    Finalising: {
      on: {
        OBSERVE: [onDelete, onNewRevision, { guard: 'targetScaledDown', target: 'Succeeded', actions: 'succeed' }],
      },
    },
    Terminating: {
      on: { OBSERVE: [{ guard: 'targetReadyOrGone', target: 'Terminated', actions: 'terminated' }] },
    },
    Terminated: { type: 'final' },
  },
});
