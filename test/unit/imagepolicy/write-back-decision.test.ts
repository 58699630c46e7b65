import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsWriteBack, type WriteBackFacts } from '../../../src/imagepolicy/write-back-decision.ts';

const ready = (status: 'True' | 'False', reason: string) => [{ type: 'Ready', status, reason }];
const base: WriteBackFacts = {
  latest: { tag: '1.2.0', digest: 'sha256:b' },
  chosen: { tag: '1.2.0', digest: 'sha256:b' },
  digestMatters: false,
  generation: 1,
  observedGeneration: 1,
  conditions: ready('True', 'UpToDate'),
};

describe('needsWriteBack', () => {
  const cases: [string, Partial<WriteBackFacts>, boolean][] = [
    ['nothing to do when Git already has the latest version', {}, false],
    ['nothing written yet', { chosen: undefined }, true],
    ['a newer tag', { chosen: { tag: '1.1.0', digest: 'sha256:a' } }, true],
    [
      'a new digest behind the same tag is ignored when the digest does not matter',
      { chosen: { tag: '1.2.0', digest: 'sha256:a' } },
      false,
    ],
    [
      'a new digest behind the same tag counts for the digest policy',
      { chosen: { tag: '1.2.0', digest: 'sha256:a' }, digestMatters: true },
      true,
    ],
    ['a changed spec (new path, branch, targets) writes again', { generation: 2 }, true],
    ['a failed write-back is retried', { conditions: ready('False', 'WriteBackFailed') }, true],
    ['a missing GitSync is looked for again', { conditions: ready('False', 'GitSyncNotFound') }, true],
    [
      'a choice that goes down (the newer tag was quarantined) is written back',
      { latest: { tag: '1.1.0', digest: 'sha256:a' }, chosen: { tag: '1.2.0', digest: 'sha256:b' } },
      true,
    ],
    ['a registry failure is not a reason to write', { conditions: ready('False', 'RegistryError') }, false],
  ];
  for (const [name, facts, expected] of cases) it(name, () => assert.equal(needsWriteBack({ ...base, ...facts }), expected));
});
