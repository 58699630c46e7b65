import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideScan, failingSince, scanDelayMs, type ScanFacts } from '../../../src/imagepolicy/scan-decision.ts';

const base: ScanFacts = {
  now: 100_000,
  intervalMs: 60_000,
  generation: 2,
  requestedAt: undefined,
  lastHandledRequestedAt: undefined,
  scanned: { generation: 2, at: 70_000 },
  quarantineChanged: false,
  failingSince: undefined,
};

describe('decideScan', () => {
  const cases: [string, Partial<ScanFacts>, ReturnType<typeof decideScan>][] = [
    ['scans at once when this process never scanned (first start, restart)', { scanned: undefined }, { kind: 'scan', requested: false }],
    ['waits out the rest of the interval', {}, { kind: 'wait', retryInMs: 30_000 }],
    ['scans when the interval has passed', { now: 130_000 }, { kind: 'scan', requested: false }],
    ['scans when the spec changed', { generation: 3 }, { kind: 'scan', requested: false }],
    ['scans on a new request, inside the interval', { requestedAt: 't2', lastHandledRequestedAt: 't1' }, { kind: 'scan', requested: true }],
    ['scans when a tag was quarantined or lifted, inside the interval', { quarantineChanged: true }, { kind: 'scan', requested: false }],
    [
      'a request already handled is no reason to scan',
      { requestedAt: 't1', lastHandledRequestedAt: 't1' },
      { kind: 'wait', retryInMs: 30_000 },
    ],
    [
      'a failure reported after the last scan is retried 5 s after that scan',
      { failingSince: 71_000, now: 72_000 },
      { kind: 'wait', retryInMs: 3_000 },
    ],
    ['the retry is due once those 5 s have passed', { failingSince: 71_000, now: 75_000 }, { kind: 'scan', requested: false }],
    [
      'a failure that had lasted 20 s at the last scan waits 20 s more',
      { failingSince: 50_000, now: 80_000 },
      { kind: 'wait', retryInMs: 10_000 },
    ],
  ];
  for (const [name, facts, expected] of cases) it(name, () => assert.deepEqual(decideScan({ ...base, ...facts }), expected));
});

describe('scanDelayMs', () => {
  it('is the interval while nothing fails', () => assert.equal(scanDelayMs(3_600_000, 10_000, undefined), 3_600_000));
  it('doubles while a failure lasts, from 5 s, and never exceeds the interval', () => {
    const interval = 60_000;
    const failingSince = 0;
    let scannedAt = 0;
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const delay = scanDelayMs(interval, scannedAt, failingSince);
      delays.push(delay);
      scannedAt += delay;
    }
    assert.deepEqual(delays, [5_000, 5_000, 10_000, 20_000, 40_000, 60_000]);
  });
});

describe('failingSince', () => {
  const ready = (status: 'True' | 'False', reason: string) => [
    { type: 'Ready', status, reason, message: '', lastTransitionTime: '2026-11-23T10:00:00Z' },
  ];
  it('is when Ready turned False for a failure the next scan may clear', () => {
    for (const reason of ['RegistryError', 'WriteBackFailed', 'GitSyncNotFound'])
      assert.equal(failingSince(ready('False', reason)), Date.parse('2026-11-23T10:00:00Z'), reason);
  });
  it('is undefined while Ready, and for problems only a change can clear (no tag matches, invalid spec)', () => {
    assert.equal(failingSince(ready('True', 'UpToDate')), undefined);
    assert.equal(failingSince(ready('False', 'NoMatchingTag')), undefined);
    assert.equal(failingSince(ready('False', 'InvalidSpec')), undefined);
    assert.equal(failingSince(undefined), undefined);
  });
});
