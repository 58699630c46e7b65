import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Canary } from '../../../src/api/canary.ts';
import {
  MAX_QUARANTINE_ENTRIES,
  nextQuarantine,
  quarantineChanged,
  quarantinedTags,
  withoutQuarantined,
  type QuarantineEntry,
  type QuarantineFacts,
  type QuarantineOutcome,
} from '../../../src/imagepolicy/quarantine.ts';

const NOW = new Date('2026-12-01T10:00:00Z');
const EARLIER = '2026-11-30T09:00:00Z';
const IMAGE = '127.0.0.1:5000/team/app';
const R1 = 'a'.repeat(40);
const R2 = 'b'.repeat(40);

interface CanaryShape {
  name?: string;
  namespace?: string;
  phase?: string;
  gitSync?: string;
  revision?: string;
  images?: { container: string; image: string; primaryImage?: string }[];
}

function canary(shape: CanaryShape = {}): Canary {
  return {
    metadata: { name: shape.name ?? 'app', namespace: shape.namespace ?? 'apps' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' } },
    status: {
      phase: (shape.phase ?? 'Failed') as never,
      reason: 'FailedChecks',
      message: 'webhook gate answered 500 (1 of 1 failed checks)',
      release: {
        gitSync: shape.gitSync ?? 'apps/config',
        ...(shape.revision === '' ? {} : { revision: shape.revision ?? R2 }),
        images: shape.images ?? [{ container: 'app', image: `${IMAGE}:v2`, primaryImage: `${IMAGE}:v1` }],
      },
    },
  } as unknown as Canary;
}

const entry = (tag: string, extra: Partial<QuarantineEntry> = {}): QuarantineEntry => ({
  tag,
  canary: 'apps/app',
  revision: R2,
  reason: 'FailedChecks: webhook gate answered 500 (1 of 1 failed checks)',
  time: EARLIER,
  ...extra,
});
const withoutRevision = ({ revision: _revision, ...rest }: QuarantineEntry): QuarantineEntry => rest;
const justNow = (tag: string, extra: Partial<QuarantineEntry> = {}) => entry(tag, { time: '2026-12-01T10:00:00Z', ...extra });

const base: QuarantineFacts = {
  namespace: 'apps',
  gitSync: 'config',
  image: IMAGE,
  quarantined: undefined,
  canaries: [],
  unquarantine: undefined,
  lastHandledUnquarantine: undefined,
  now: NOW,
};

describe('nextQuarantine', () => {
  const cases: [string, Partial<QuarantineFacts>, QuarantineOutcome][] = [
    ['nothing failed: nothing quarantined', { canaries: [canary({ phase: 'Succeeded' })] }, { quarantined: [], added: [] }],
    [
      'a failed canary of the policy’s GitSync quarantines the tag it released, registry port and all',
      { canaries: [canary()] },
      { quarantined: [justNow('v2')], added: [justNow('v2')] },
    ],
    [
      'the same failure seen again is not added twice',
      { quarantined: [entry('v2')], canaries: [canary()] },
      { quarantined: [entry('v2')], added: [] },
    ],
    [
      'a lifted entry is not quarantined again for the same failure',
      { quarantined: [entry('v2', { liftedAt: EARLIER })], canaries: [canary()] },
      { quarantined: [entry('v2', { liftedAt: EARLIER })], added: [] },
    ],
    [
      'a later failure of the same tag at another revision quarantines it again',
      { quarantined: [entry('v2', { revision: R1, liftedAt: EARLIER })], canaries: [canary({ revision: R2 })] },
      {
        quarantined: [entry('v2', { revision: R1, liftedAt: EARLIER }), justNow('v2')],
        added: [justNow('v2')],
      },
    ],
    [
      'a canary in another namespace is ignored',
      { canaries: [canary({ namespace: 'other', gitSync: 'apps/config' })] },
      { quarantined: [], added: [] },
    ],
    [
      'a canary released by another GitSync is ignored',
      { canaries: [canary({ gitSync: 'apps/platform' })] },
      { quarantined: [], added: [] },
    ],
    [
      'a GitSync of the same name in another namespace is another GitSync',
      { canaries: [canary({ gitSync: 'other/config' })] },
      { quarantined: [], added: [] },
    ],
    [
      'another image (same path, another registry) is ignored',
      { canaries: [canary({ images: [{ container: 'app', image: '127.0.0.1:5001/team/app:v2', primaryImage: `${IMAGE}:v1` }] })] },
      { quarantined: [], added: [] },
    ],
    [
      'an image the run did not change is not what failed',
      { canaries: [canary({ images: [{ container: 'app', image: `${IMAGE}:v1`, primaryImage: `${IMAGE}:v1` }] })] },
      { quarantined: [], added: [] },
    ],
    [
      'an image pinned by digest behind a tag quarantines the tag; a sidecar of another image is left alone',
      {
        canaries: [
          canary({
            images: [
              { container: 'app', image: `${IMAGE}:v2@sha256:${'c'.repeat(64)}`, primaryImage: `${IMAGE}:v1` },
              { container: 'proxy', image: 'docker.io/library/envoy:1.30', primaryImage: 'docker.io/library/envoy:1.29' },
            ],
          }),
        ],
      },
      { quarantined: [justNow('v2')], added: [justNow('v2')] },
    ],
    [
      'Docker Hub spellings name one repository',
      {
        image: 'nginx',
        canaries: [canary({ images: [{ container: 'web', image: 'docker.io/library/nginx:1.27', primaryImage: 'nginx:1.26' }] })],
      },
      { quarantined: [justNow('1.27')], added: [justNow('1.27')] },
    ],
    [
      'an image without a tag (digest only) names nothing to quarantine',
      { canaries: [canary({ images: [{ container: 'app', image: `${IMAGE}@sha256:${'d'.repeat(64)}`, primaryImage: `${IMAGE}:v1` }] })] },
      { quarantined: [], added: [] },
    ],
    [
      'a release without a recorded revision is quarantined once all the same',
      { quarantined: [withoutRevision(entry('v2'))], canaries: [canary({ revision: '' })] },
      { quarantined: [withoutRevision(entry('v2'))], added: [] },
    ],
  ];
  for (const [name, facts, expected] of cases) it(name, () => assert.deepEqual(nextQuarantine({ ...base, ...facts }), expected));
});

describe('nextQuarantine: unquarantine requests', () => {
  const request = 'v2@2026-12-01T09:59:59.123Z';
  const cases: [string, Partial<QuarantineFacts>, QuarantineOutcome][] = [
    [
      'lifts every entry of the tag that is not lifted yet',
      { quarantined: [entry('v2', { revision: R1, liftedAt: EARLIER }), entry('v2'), entry('v3')], unquarantine: request },
      {
        quarantined: [entry('v2', { revision: R1, liftedAt: EARLIER }), entry('v2', { liftedAt: '2026-12-01T10:00:00Z' }), entry('v3')],
        added: [],
        unquarantine: { request, tag: 'v2', lifted: [entry('v2', { liftedAt: '2026-12-01T10:00:00Z' })] },
      },
    ],
    [
      'a request already handled changes nothing',
      { quarantined: [entry('v2')], unquarantine: request, lastHandledUnquarantine: request },
      { quarantined: [entry('v2')], added: [], unquarantine: undefined },
    ],
    [
      'a tag that is not quarantined: nothing lifted, and says which are',
      { quarantined: [entry('v2', { liftedAt: EARLIER }), entry('v3')], unquarantine: 'v2@2026-12-01T09:59:59Z' },
      {
        quarantined: [entry('v2', { liftedAt: EARLIER }), entry('v3')],
        added: [],
        unquarantine: { request: 'v2@2026-12-01T09:59:59Z', tag: 'v2', lifted: [], problem: 'v2 is not quarantined (quarantined: v3)' },
      },
    ],
    [
      'nothing quarantined at all',
      { unquarantine: 'v9@2026-12-01T09:59:59Z' },
      {
        quarantined: [],
        added: [],
        unquarantine: {
          request: 'v9@2026-12-01T09:59:59Z',
          tag: 'v9',
          lifted: [],
          problem: 'v9 is not quarantined (no tag is quarantined)',
        },
      },
    ],
    [
      'a malformed request is handled and named',
      { quarantined: [entry('v2')], unquarantine: 'v2' },
      {
        quarantined: [entry('v2')],
        added: [],
        unquarantine: { request: 'v2', tag: undefined, lifted: [], problem: 'wren.dev/unquarantine "v2" is not "<tag>@<RFC3339 time>"' },
      },
    ],
    [
      'a failure and its lifting in the same reconcile: the request wins',
      { canaries: [canary()], unquarantine: request },
      {
        quarantined: [justNow('v2', { liftedAt: '2026-12-01T10:00:00Z' })],
        added: [justNow('v2')],
        unquarantine: { request, tag: 'v2', lifted: [justNow('v2', { liftedAt: '2026-12-01T10:00:00Z' })] },
      },
    ],
  ];
  for (const [name, facts, expected] of cases)
    it(name, () => {
      const outcome = nextQuarantine({ ...base, ...facts });
      assert.deepEqual({ ...outcome, unquarantine: outcome.unquarantine }, { ...expected, unquarantine: expected.unquarantine });
    });
});

describe('nextQuarantine: a long history', () => {
  it(`keeps every active entry and drops the oldest lifted ones beyond ${MAX_QUARANTINE_ENTRIES}, never one a canary still shows`, () => {
    const lifted = Array.from({ length: MAX_QUARANTINE_ENTRIES }, (_, index) =>
      entry(`v${index}`, { revision: index === 0 ? R2 : R1, liftedAt: EARLIER }),
    );
    const outcome = nextQuarantine({
      ...base,
      quarantined: lifted,
      canaries: [
        canary({ revision: R2, images: [{ container: 'app', image: `${IMAGE}:v0`, primaryImage: `${IMAGE}:v1` }] }),
        canary({ name: 'b', revision: R2 }),
      ],
    });
    assert.equal(outcome.quarantined.length, MAX_QUARANTINE_ENTRIES);
    assert.deepEqual(outcome.added, [justNow('v2', { canary: 'apps/b' })]);
    assert.equal(outcome.quarantined[0]?.tag, 'v0', 'the lifted entry a canary still shows stays');
    assert.equal(outcome.quarantined[1]?.tag, 'v2', 'the oldest other lifted entry went');
    assert.equal(outcome.quarantined.at(-1)?.liftedAt, undefined, 'the new entry is there');
  });
});

describe('quarantineChanged', () => {
  it('is false when nothing was added or handled', () => assert.equal(quarantineChanged({ quarantined: [entry('v2')], added: [] }), false));
  it('is true for a new entry', () => assert.equal(quarantineChanged({ quarantined: [entry('v2')], added: [entry('v2')] }), true));
  it('is true for a handled request, even one that lifted nothing', () =>
    assert.equal(
      quarantineChanged({ quarantined: [], added: [], unquarantine: { request: 'x@t', tag: 'x', lifted: [], problem: 'p' } }),
      true,
    ));
});

describe('the scan leaves quarantined tags out', () => {
  it('skips the tags quarantined and not lifted, with the canary that failed', () => {
    const tags = quarantinedTags([entry('v2'), entry('v3', { liftedAt: EARLIER }), entry('v4', { canary: 'apps/other' })]);
    assert.deepEqual(withoutQuarantined(['v1', 'v2', 'v3', 'v4', 'v5'], tags), {
      allowed: ['v1', 'v3', 'v5'],
      skipped: [
        { tag: 'v2', reason: 'quarantined: canary apps/app failed' },
        { tag: 'v4', reason: 'quarantined: canary apps/other failed' },
      ],
    });
  });
  it('lets everything through when nothing is quarantined', () =>
    assert.deepEqual(withoutQuarantined(['v1'], quarantinedTags(undefined)), { allowed: ['v1'], skipped: [] }));
});
