import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideScan, type ScanFacts } from '../../../src/imagepolicy/scan-decision.ts';

const base: ScanFacts = { now: 100_000, intervalMs: 60_000, generation: 2, requestedAt: undefined, lastHandledRequestedAt: undefined, scanned: { generation: 2, at: 70_000 } };

describe('decideScan', () => {
  const cases: [string, Partial<ScanFacts>, ReturnType<typeof decideScan>][] = [
    ['scans at once when this process never scanned (first start, restart)', { scanned: undefined }, { kind: 'scan', requested: false }],
    ['waits out the rest of the interval', {}, { kind: 'wait', retryInMs: 30_000 }],
    ['scans when the interval has passed', { now: 130_000 }, { kind: 'scan', requested: false }],
    ['scans when the spec changed', { generation: 3 }, { kind: 'scan', requested: false }],
    ['scans on a new request, inside the interval', { requestedAt: 't2', lastHandledRequestedAt: 't1' }, { kind: 'scan', requested: true }],
    ['a request already handled is no reason to scan', { requestedAt: 't1', lastHandledRequestedAt: 't1' }, { kind: 'wait', retryInMs: 30_000 }],
  ];
  for (const [name, facts, expected] of cases) it(name, () => assert.deepEqual(decideScan({ ...base, ...facts }), expected));
});
