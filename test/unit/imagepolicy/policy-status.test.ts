import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImagePolicy } from '../../../src/api/image-policy.ts';
import { policyStatus } from '../../../src/imagepolicy/policy-status.ts';

const now = new Date('2026-11-23T10:00:00Z');
const policy = (status?: ImagePolicy['status']): ImagePolicy => ({
  metadata: { name: 'web', namespace: 'apps', generation: 3 },
  spec: { image: 'registry.test/web', gitSyncRef: { name: 'apps' }, policy: { semver: { range: '>=1.0.0' } } },
  ...(status ? { status } : {}),
});
const scan = {
  tagsSeen: 4,
  latest: { tag: '1.2.0', digest: 'sha256:' + 'b'.repeat(64) },
  skipped: [{ tag: 'latest', reason: 'not semver' }],
  reason: 'highest of 3',
};
const ready = (status: ImagePolicy['status']) => status?.conditions?.find((condition) => condition.type === 'Ready');

describe('policyStatus', () => {
  it('records the scan, the write-back commit and a Ready verdict naming the version', () => {
    const status = policyStatus(policy(), {
      now,
      scan,
      written: { version: scan.latest, commit: 'c0ffee1234567890', branch: 'main', files: ['app/deploy.yaml'] },
    });
    assert.equal(status.observedGeneration, 3);
    assert.deepEqual(status.latest, scan.latest);
    assert.deepEqual(status.chosen, scan.latest);
    assert.equal(status.tagsSeen, 4);
    assert.deepEqual(status.skippedTags, ['latest: not semver']);
    assert.deepEqual(status.lastWriteBack, {
      commit: 'c0ffee1234567890',
      branch: 'main',
      files: ['app/deploy.yaml'],
      time: '2026-11-23T10:00:00Z',
    });
    assert.equal(ready(status)?.status, 'True');
    assert.match(ready(status)?.message ?? '', /registry\.test\/web is at 1\.2\.0 .*commit c0ffee123456 on main/);
  });

  it('keeps the last choice and says so when the registry fails', () => {
    const before = policyStatus(policy(), {
      now,
      scan,
      written: { version: scan.latest, commit: 'abc', branch: 'main', files: ['a.yaml'] },
    });
    const status = policyStatus(policy(before), { now, scanError: 'registry registry.test answered 503' });
    assert.deepEqual(status.chosen, scan.latest);
    assert.deepEqual(status.lastWriteBack, before.lastWriteBack);
    assert.equal(ready(status)?.reason, 'RegistryError');
    assert.match(ready(status)?.message ?? '', /answered 503; keeping 1\.2\.0/);
  });

  it('does not move the last write-back when the files already held the version', () => {
    const before = policyStatus(policy(), {
      now,
      scan,
      written: { version: scan.latest, commit: 'abc', branch: 'main', files: ['a.yaml'] },
    });
    const later = new Date('2026-11-23T11:00:00Z');
    const status = policyStatus(policy(before), { now: later, scan, written: { version: scan.latest, branch: 'main', files: [] } });
    assert.deepEqual(status.lastWriteBack, before.lastWriteBack);
  });

  it('is not ready when no tag matches, or the write-back has nowhere to go', () => {
    assert.equal(
      ready(policyStatus(policy(), { now, scan: { ...scan, latest: undefined, reason: 'no tag of 4 satisfies >=2' } }))?.reason,
      'NoMatchingTag',
    );
    const noTarget = policyStatus(policy(), { now, scan, writeBackProblem: { reason: 'NoWriteBackTarget', message: 'no setter marker' } });
    assert.equal(ready(noTarget)?.reason, 'NoWriteBackTarget');
    assert.equal(noTarget.chosen, undefined);
  });

  it('records the request it handled', () => {
    assert.equal(
      policyStatus(policy(), { now, scan, requestedAt: '2026-11-23T09:59:59.123Z' }).lastHandledRequestedAt,
      '2026-11-23T09:59:59.123Z',
    );
  });

  it('records the quarantine list and the unquarantine request it handled, and keeps both through a halt', () => {
    const entry = {
      tag: '1.3.0',
      canary: 'apps/web',
      revision: 'c0ffee',
      reason: 'FailedChecks: gate answered 500',
      time: '2026-11-23T10:00:00Z',
    };
    const status = policyStatus(policy(), {
      now,
      scan: { ...scan, skipped: [{ tag: '1.3.0', reason: 'quarantined: canary apps/web failed' }] },
      quarantine: { quarantined: [entry], handledUnquarantine: '1.1.0@2026-11-23T09:59:59.123Z' },
    });
    assert.deepEqual(status.quarantined, [entry]);
    assert.equal(status.lastHandledUnquarantine, '1.1.0@2026-11-23T09:59:59.123Z');
    assert.deepEqual(status.skippedTags, ['1.3.0: quarantined: canary apps/web failed']);
    const suspended = policyStatus(policy(status), { now, halted: { reason: 'Suspended', message: 'spec.suspend is true' } });
    assert.deepEqual(suspended.quarantined, [entry]);
    assert.equal(suspended.lastHandledUnquarantine, '1.1.0@2026-11-23T09:59:59.123Z');
  });

  it('writes no empty quarantine list', () => {
    assert.equal(policyStatus(policy(), { now, scan, quarantine: { quarantined: [] } }).quarantined, undefined);
  });
});
