// The GitSync reconcile's decisions as tables: halt, wait or sync; reuse of the last render; the
// trigger history reports; the Event of a sync; when to look again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SyncOutcome } from '../../../src/gitsync/object-applier.ts';
import {
  decideSync,
  DEPENDENCY_RETRY_MS,
  nextSyncInMs,
  reusesRender,
  syncEvent,
  triggerOf,
  type SyncFacts,
  type TriggerFacts,
} from '../../../src/gitsync/sync-decision.ts';

const facts: SyncFacts = {
  invalid: undefined,
  notAllowed: undefined,
  suspended: false,
  waitingFor: [],
  poll: {
    now: 100_000,
    intervalMs: 60_000,
    generation: 1,
    requestedAt: undefined,
    lastHandledRequestedAt: undefined,
    rendered: { generation: 1, polledAt: 90_000 },
    failed: undefined,
  },
};

const decisions: [string, Partial<SyncFacts>, ReturnType<typeof decideSync>][] = [
  [
    'an invalid spec halts with a warning, before anything else',
    { invalid: 'spec.url: required', notAllowed: 'x', suspended: true },
    { kind: 'halt', reason: 'InvalidSpec', message: 'spec.url: required', warning: true },
  ],
  [
    'out of its tenancy: halts with a warning',
    { notAllowed: 'spec.targetNamespace: other is not this namespace', suspended: true },
    { kind: 'halt', reason: 'NotAllowed', message: 'spec.targetNamespace: other is not this namespace', warning: true },
  ],
  [
    'suspended: halts quietly',
    { suspended: true },
    { kind: 'halt', reason: 'Suspended', message: 'spec.suspend is true: not syncing', warning: false },
  ],
  [
    'a dependency not ready: halts and looks again',
    { waitingFor: ['apps/base', 'apps/crds'] },
    {
      kind: 'halt',
      reason: 'DependencyNotReady',
      message: 'waiting for apps/base, apps/crds',
      warning: false,
      retryInMs: DEPENDENCY_RETRY_MS,
    },
  ],
  ['all clear within the interval: sync from the last render', {}, { kind: 'sync', requested: false, specChanged: false, poll: false }],
  [
    'a failed sync is not retried before its interval',
    { poll: { ...facts.poll, failed: { generation: 1, at: 95_000 } } },
    { kind: 'wait', retryInMs: 55_000 },
  ],
];

for (const [name, change, expected] of decisions) {
  test(`decideSync: ${name}`, () => assert.deepEqual(decideSync({ ...facts, ...change }), expected));
}

const rendered = { commit: 'abcdef0123456789', inputsDigest: 'd1' };
const now = { commit: 'abcdef0', inputsDigest: 'd1', specChanged: false, requested: false };
const reuse: [string, Parameters<typeof reusesRender>[0], Partial<typeof now>, boolean][] = [
  ['the same commit (given abbreviated) and inputs', rendered, {}, true],
  ['nothing rendered yet', undefined, {}, false],
  ['a new commit', rendered, { commit: '1234567' }, false],
  ['inputs changed (a substitution ConfigMap, a key)', rendered, { inputsDigest: 'd2' }, false],
  ['the spec changed', rendered, { specChanged: true }, false],
  ['a sync was requested', rendered, { requested: true }, false],
];
for (const [name, cache, change, expected] of reuse) {
  test(`reusesRender: ${name}`, () => assert.equal(reusesRender(cache, { ...now, ...change }), expected));
}

const trigger: TriggerFacts = {
  rollingBack: false,
  commit: 'c2',
  lastAppliedRevision: 'c2',
  requested: false,
  specChanged: false,
  generation: 1,
  observedGeneration: 1,
  healed: 0,
};
const triggers: [string, Partial<TriggerFacts>, string][] = [
  ['a rollback wins over everything', { rollingBack: true, lastAppliedRevision: 'c1', requested: true }, 'rollback'],
  ['a commit not applied yet', { lastAppliedRevision: 'c1', requested: true }, 'new revision'],
  ['a request', { requested: true, healed: 2 }, 'request'],
  ['a spec change not observed yet', { specChanged: true, generation: 2 }, 'spec change'],
  ['a render after restart of an observed spec is no spec change', { specChanged: true }, 'interval'],
  ['corrections of drift', { healed: 1 }, 'drift'],
  ['nothing but the clock', {}, 'interval'],
];
for (const [name, change, expected] of triggers) {
  test(`triggerOf: ${name}`, () => assert.equal(triggerOf({ ...trigger, ...change }), expected));
}

const outcome = (change: Partial<SyncOutcome>): SyncOutcome => ({
  created: [],
  updated: [],
  healed: [],
  drifted: [],
  deleted: [],
  unchanged: 3,
  inventory: [],
  ...change,
});

test('syncEvent: nothing changed, no Event', () => assert.equal(syncEvent('c'.repeat(40), outcome({})), undefined));
test('syncEvent: changes are counted; corrections name the objects and make it DriftCorrected', () => {
  assert.deepEqual(syncEvent('c'.repeat(40), outcome({ created: ['ConfigMap a/x'], deleted: ['Service a/y'] })), {
    reason: 'Synced',
    message: 'revision cccccccccccc: 1 created, 1 deleted',
  });
  assert.deepEqual(syncEvent('c'.repeat(40), outcome({ updated: ['Deployment a/web'], healed: ['Service a/web'] })), {
    reason: 'DriftCorrected',
    message: 'revision cccccccccccc: 1 updated, 1 corrected (drift: Service a/web)',
  });
});

test('nextSyncInMs: the next poll, at least a second away, or sooner for a backed-off correction', () => {
  assert.equal(nextSyncInMs({ now: 100_000, intervalMs: 60_000, polledAt: 90_000 }), 50_000);
  assert.equal(nextSyncInMs({ now: 100_000, intervalMs: 60_000, polledAt: 0 }), 1000);
  assert.equal(nextSyncInMs({ now: 100_000, intervalMs: 60_000, polledAt: 90_000, retryHealInMs: 4000 }), 4000);
});
