// What a run records about where it came from: the GitSync and commit from the target's annotations,
// and each container's image against the one the primary runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { releaseRecord } from '../../../src/canary/release-record.ts';
import type { Deployment } from '../../../src/workload/workload-types.ts';

const deployment = (containers: { name: string; image?: string }[], annotations?: Record<string, string>): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', ...(annotations ? { annotations } : {}) },
  spec: { template: { spec: { containers } } },
});

test('a target applied by a GitSync names the GitSync and commit; images pair with the primary by container', () => {
  const target = deployment(
    [
      { name: 'web', image: 'web:2' },
      { name: 'proxy', image: 'proxy:5' },
      { name: 'debug', image: 'busybox' },
    ],
    { 'wren.dev/gitsync': 'apps/site', 'wren.dev/git-revision': 'c2' },
  );
  const primary = deployment([
    { name: 'proxy', image: 'proxy:5' },
    { name: 'web', image: 'web:1' },
  ]);
  assert.deepEqual(releaseRecord(target, primary), {
    gitSync: 'apps/site',
    revision: 'c2',
    images: [
      { container: 'web', image: 'web:2', primaryImage: 'web:1' },
      { container: 'proxy', image: 'proxy:5', primaryImage: 'proxy:5' },
      { container: 'debug', image: 'busybox' },
    ],
  });
});

test('a target nobody applied from Git records only its images; no primary yet, no primary images', () => {
  assert.deepEqual(releaseRecord(deployment([{ name: 'web', image: 'web:2' }]), undefined), {
    images: [{ container: 'web', image: 'web:2' }],
  });
  assert.deepEqual(releaseRecord(deployment([{ name: 'web' }]), undefined), {});
});

test('an image the run changes names the ImagePolicy of the same GitSync that governs it; others are not named', () => {
  const target = deployment(
    [
      { name: 'web', image: '127.0.0.1:5000/team/web:2' },
      { name: 'proxy', image: 'proxy:5' },
    ],
    { 'wren.dev/gitsync': 'apps/site', 'wren.dev/git-revision': 'c2' },
  );
  const primary = deployment([
    { name: 'web', image: '127.0.0.1:5000/team/web:1' },
    { name: 'proxy', image: 'proxy:5' },
  ]);
  const policies = [
    { name: 'web-of-other-sync', image: '127.0.0.1:5000/team/web', gitSync: 'apps/other' },
    { name: 'web', image: '127.0.0.1:5000/team/web', gitSync: 'apps/site' },
    { name: 'proxy', image: 'proxy', gitSync: 'apps/site' },
  ];
  assert.deepEqual(releaseRecord(target, primary, policies).images, [
    { container: 'web', image: '127.0.0.1:5000/team/web:2', primaryImage: '127.0.0.1:5000/team/web:1', imagePolicy: 'web' },
    { container: 'proxy', image: 'proxy:5', primaryImage: 'proxy:5' },
  ]);
});
