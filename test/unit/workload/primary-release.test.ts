// The primary's kept releases: what revision a release really is, and which releases are kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configChecksum, type ConfigObject } from '../../../src/workload/config-copies.ts';
import { decodeRelease, encodeRelease, keptReleases, releaseRevision, type PrimaryRelease } from '../../../src/workload/primary-release.ts';
import { targetRevision } from '../../../src/workload/revision.ts';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'web:1' }] } };
const configMap = (greeting: string): ConfigObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'web-config', namespace: 'shop', resourceVersion: '7' },
  data: { greeting },
});
const release = (revision: string, greeting = 'hello'): PrimaryRelease => ({ revision, template, configs: [configMap(greeting)] });

test('a release is the revision the cache observed only when the configs read hold the observed content', () => {
  const observed = targetRevision(template, { 'configmap/web-config': configChecksum(configMap('hello')) });
  assert.equal(releaseRevision(template, [configMap('hello')]), observed);
  assert.notEqual(releaseRevision(template, [configMap('bonjour')]), observed, 'edited after it was observed');
  assert.notEqual(releaseRevision(template, []), observed, 'deleted after it was observed');
});

test('a kept release reads back as written, without server fields', () => {
  const decoded = decodeRelease('r1', encodeRelease(release('r1')));
  assert.deepEqual(decoded, {
    revision: 'r1',
    template,
    configs: [{ kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { greeting: 'hello' } }],
  });
  assert.equal(decodeRelease('r2', undefined), undefined);
});

test('a release too large to keep is refused with its revision and size', () => {
  assert.throws(() => encodeRelease(release('r9', 'x'.repeat(500_000))), /revision r9 .*\d+ bytes\) is too large/);
});

const cases: { name: string; stored: string[]; keep: string | undefined; added: string; kept: string[] }[] = [
  { name: 'first release', stored: [], keep: undefined, added: 'r1', kept: ['r1'] },
  { name: 'a promotion keeps the last promoted one', stored: ['r1'], keep: 'r1', added: 'r2', kept: ['r1', 'r2'] },
  { name: 'older and failed releases are dropped', stored: ['r1', 'r2'], keep: 'r2', added: 'r3', kept: ['r2', 'r3'] },
  { name: 'a failed release is not kept as the one to go back to', stored: ['r1', 'r2'], keep: 'r1', added: 'r3', kept: ['r1', 'r3'] },
  { name: 'rewriting the last promoted one keeps one copy', stored: ['r1'], keep: 'r1', added: 'r1', kept: ['r1'] },
  { name: 'nothing kept yet for the last promoted one (upgrade)', stored: [], keep: 'r1', added: 'r2', kept: ['r2'] },
];
for (const { name, stored, keep, added, kept } of cases) {
  test(`kept releases: ${name}`, () => {
    const before = Object.fromEntries(stored.map((revision) => [revision, encodeRelease(release(revision))]));
    const after = keptReleases(before, keep, release(added, 'new'));
    assert.deepEqual(Object.keys(after).sort(), kept);
    assert.equal(decodeRelease(added, after[added])?.configs[0]?.data?.greeting, 'new');
  });
}
