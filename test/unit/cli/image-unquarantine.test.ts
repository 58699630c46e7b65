// wren image unquarantine's pure parts: the request it writes, what it reports as lifted, and flags.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { describeEntry, liftedEntries } from '../../../src/cli/image/lifted-entries.ts';
import type { QuarantineEntry } from '../../../src/imagepolicy/quarantine.ts';
import { requestedTag, unquarantineValue } from '../../../src/imagepolicy/unquarantine-request.ts';

const entry = (tag: string, extra: Partial<QuarantineEntry> = {}): QuarantineEntry => ({
  tag,
  canary: 'apps/web',
  revision: 'c0ffee' + '1'.repeat(34),
  reason: 'FailedChecks: gate answered 500',
  time: '2026-12-01T09:00:00Z',
  ...extra,
});
const LIFTED = '2026-12-01T10:00:00Z';

describe('the unquarantine request', () => {
  it('is "<tag>@<time>" and reads back to the tag', () => {
    const value = unquarantineValue('v2.0.1', new Date('2026-12-01T10:00:00.123Z'));
    assert.equal(value, 'v2.0.1@2026-12-01T10:00:00.123Z');
    assert.equal(requestedTag(value), 'v2.0.1');
  });
  for (const bad of ['v2', '@2026-12-01T10:00:00Z', 'v2@soon'])
    it(`"${bad}" names no tag`, () => assert.equal(requestedTag(bad), undefined));
});

describe('liftedEntries', () => {
  const cases: [string, QuarantineEntry[] | undefined, QuarantineEntry[] | undefined, QuarantineEntry[]][] = [
    ['an entry lifted by the request', [entry('v2')], [entry('v2', { liftedAt: LIFTED })], [entry('v2', { liftedAt: LIFTED })]],
    ['nothing when the tag was not quarantined', [entry('v3')], [entry('v3')], []],
    ['not an entry lifted before', [entry('v2', { liftedAt: LIFTED })], [entry('v2', { liftedAt: LIFTED })], []],
    ['not another tag', [entry('v3')], [entry('v3', { liftedAt: LIFTED })], []],
    [
      'an entry that failed and was lifted between the two reads',
      undefined,
      [entry('v2', { liftedAt: LIFTED })],
      [entry('v2', { liftedAt: LIFTED })],
    ],
  ];
  for (const [name, before, after, expected] of cases) it(name, () => assert.deepEqual(liftedEntries(before, after, 'v2'), expected));

  it('describes the failure it lifted', () =>
    assert.equal(describeEntry(entry('v2')), 'canary apps/web failed at revision c0ffee111111 (FailedChecks: gate answered 500)'));
});

describe('wren image unquarantine flags', () => {
  const main = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
  const wren = (...args: string[]) =>
    spawnSync(process.execPath, [main, 'image', ...args], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });

  it('shows its usage without a tag', () => {
    const result = wren('unquarantine', 'web');
    assert.equal(result.status, 2);
    assert.match(result.stdout, /usage: wren image unquarantine POLICY TAG/);
  });
  it('rejects something that is not a tag before touching any cluster', () => {
    const result = wren('unquarantine', 'web', 'v2@now');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /TAG: "v2@now" is not an image tag/);
  });
  it('rejects a timeout that is not a duration', () => {
    const result = wren('unquarantine', 'web', 'v2', '--timeout', 'soon');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--timeout: "soon" is not a duration/);
  });
  it('is listed under wren image', () => {
    const result = wren('--help');
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^ {2}unquarantine /m);
  });
});
