// What an ImagePolicy reconcile counts for in the metrics, as a table: the scan result, the
// write-back result and the stages that failed, from the report the reconciler builds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measurePolicy, type PolicyMeasurement } from '../../../src/imagepolicy/policy-measurement.ts';
import type { PolicyReport, ScanOutcome } from '../../../src/imagepolicy/policy-status.ts';

const now = new Date('2026-12-01T10:00:00Z');
const version = { tag: '1.2.0', digest: 'sha256:' + 'a'.repeat(64) };
const scan: ScanOutcome = { tagsSeen: 3, latest: version, skipped: [], reason: 'highest of 3' };

const cases: [string, Omit<PolicyReport, 'now'>, PolicyMeasurement][] = [
  ['halted (no scan): nothing counted', { halted: { reason: 'Suspended', message: 'spec.suspend is true' } }, { failedStages: [] }],
  ['a scan with a pick and nothing to write back', { scan }, { scan: 'success', failedStages: [] }],
  [
    'a scan where no tag matches the policy is not a failure',
    { scan: { ...scan, latest: undefined } },
    { scan: 'no-match', failedStages: [] },
  ],
  ['a registry error fails the scan stage', { scanError: 'registry.test: 503' }, { scan: 'error', failedStages: ['scan'] }],
  [
    'a write-back that made a commit',
    { scan, written: { version, commit: 'c0ffee', branch: 'main', files: ['deploy.yaml'] } },
    { scan: 'success', writeBack: 'committed', failedStages: [] },
  ],
  [
    'a git write-back whose files already held the version',
    { scan, written: { version, branch: 'main', files: ['deploy.yaml'] } },
    { scan: 'success', writeBack: 'unchanged', failedStages: [] },
  ],
  [
    'an override set on the GitSync',
    { scan, written: { version, files: [], overrideSet: true } },
    { scan: 'success', writeBack: 'override-set', failedStages: [] },
  ],
  [
    'an override the GitSync already held',
    { scan, written: { version, files: [] } },
    { scan: 'success', writeBack: 'unchanged', failedStages: [] },
  ],
  [
    'a failed push fails the write-back stage',
    { scan, writeBackProblem: { reason: 'WriteBackFailed', message: 'push refused' } },
    { scan: 'success', writeBack: 'failed', failedStages: ['write-back'] },
  ],
  [
    'no file names the image: write-back stage',
    { scan, writeBackProblem: { reason: 'NoWriteBackTarget', message: 'no target' } },
    { scan: 'success', writeBack: 'no-target', failedStages: ['write-back'] },
  ],
  [
    'a missing GitSync: write-back stage',
    { scan, writeBackProblem: { reason: 'GitSyncNotFound', message: 'GitSync apps/web does not exist' } },
    { scan: 'success', writeBack: 'gitsync-not-found', failedStages: ['write-back'] },
  ],
];

for (const [name, report, expected] of cases) {
  test(`measurePolicy: ${name}`, () => {
    assert.deepEqual(measurePolicy({ now, ...report }), expected);
  });
}
