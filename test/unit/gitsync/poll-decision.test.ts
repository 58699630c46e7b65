import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decidePoll, type PollFacts } from '../../../src/gitsync/poll-decision.ts';

const base: PollFacts = {
  now: 100_000,
  intervalMs: 60_000,
  generation: 2,
  requestedAt: undefined,
  lastHandledRequestedAt: undefined,
  rendered: { generation: 2, polledAt: 90_000 },
  failed: undefined,
};

const cases: [string, Partial<PollFacts>, ReturnType<typeof decidePoll>][] = [
  ['nothing new within the interval: work from the last render', {}, { kind: 'sync', requested: false, specChanged: false, poll: false }],
  [
    'the interval has passed: ask the remote',
    { rendered: { generation: 2, polledAt: 30_000 } },
    { kind: 'sync', requested: false, specChanged: false, poll: true },
  ],
  ['nothing rendered since start: poll', { rendered: undefined }, { kind: 'sync', requested: false, specChanged: true, poll: true }],
  ['the spec changed: poll', { generation: 3 }, { kind: 'sync', requested: false, specChanged: true, poll: true }],
  [
    'a new request: poll',
    { requestedAt: 't2', lastHandledRequestedAt: 't1' },
    { kind: 'sync', requested: true, specChanged: false, poll: true },
  ],
  [
    'a handled request is not new',
    { requestedAt: 't1', lastHandledRequestedAt: 't1' },
    { kind: 'sync', requested: false, specChanged: false, poll: false },
  ],
  ['failed 10 s ago: wait out the interval', { failed: { generation: 2, at: 90_000 } }, { kind: 'wait', retryInMs: 50_000 }],
  [
    'failed, but a request overrides the wait',
    { failed: { generation: 2, at: 90_000 }, requestedAt: 't2' },
    { kind: 'sync', requested: true, specChanged: false, poll: true },
  ],
  [
    'failed under an older spec: retry now',
    { failed: { generation: 1, at: 90_000 }, generation: 2 },
    { kind: 'sync', requested: false, specChanged: false, poll: false },
  ],
  [
    'failed an interval ago: retry',
    { failed: { generation: 2, at: 40_000 } },
    { kind: 'sync', requested: false, specChanged: false, poll: false },
  ],
];

for (const [name, facts, expected] of cases) {
  test(`decidePoll: ${name}`, () => assert.deepEqual(decidePoll({ ...base, ...facts }), expected));
}
