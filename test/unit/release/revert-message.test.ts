import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Canary } from '../../../src/api/canary.ts';
import { revertMessage } from '../../../src/release/revert-message.ts';

const canary = {
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'Canary',
  metadata: { name: 'shop', namespace: 'apps' },
  spec: { targetRef: { name: 'shop' } },
  status: {
    phase: 'Failed',
    reason: 'FailedChecks',
    message: '2 failed checks reached the threshold of 2',
    checks: [
      { name: 'request-success-rate', kind: 'metric', passed: false, value: 82.1234, threshold: '>= 99', time: '2026-12-01T00:00:10Z' },
      { name: 'load-test', kind: 'webhook', passed: false, message: 'HTTP 500', time: '2026-12-01T00:00:10Z' },
      { name: 'latency', kind: 'metric', passed: true, value: 120, threshold: '<= 500', time: '2026-12-01T00:00:10Z' },
      { name: 'request-success-rate', kind: 'metric', passed: true, value: 100, threshold: '>= 99', time: '2026-12-01T00:00:00Z' },
    ],
  },
} as unknown as Canary;

test('a revert message names what was put back, the failed checks with values and thresholds, and the reverted commit', () => {
  const revision = 'c'.repeat(40);
  const message = revertMessage({ canary, gitSync: 'apps/shop', revision, swaps: [{ from: 'shop:2', to: 'shop:1' }] });
  assert.equal(
    message,
    [
      'Revert shop to shop:1: canary failed',
      '',
      'Canary apps/shop failed revision cccccccccccc (GitSync apps/shop): FailedChecks: 2 failed checks reached the threshold of 2',
      '',
      'Failed checks:',
      '- request-success-rate: 82.12 (threshold >= 99)',
      '- load-test (webhook): HTTP 500',
      '',
      'shop:2 -> shop:1',
      '',
      `Wren-Reverts: ${revision}`,
      'Wren-Canary: apps/shop',
      '',
    ].join('\n'),
  );
});

test('a revert of a release that changed no image says which commit it undoes', () => {
  const revision = 'd'.repeat(40);
  const message = revertMessage({ canary, gitSync: 'apps/shop', revision, swaps: [] });
  assert.match(message, /^Revert shop to before dddddddddddd: canary failed\n/);
  assert.match(message, /\nWren-Reverts: d{40}\n/);
});
