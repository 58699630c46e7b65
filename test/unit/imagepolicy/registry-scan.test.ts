// The scan's seam for quarantine: quarantined tags never reach the policy, and say why.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImagePolicy } from '../../../src/api/image-policy.ts';
import { quarantinedTags } from '../../../src/imagepolicy/quarantine.ts';
import { RegistryScanner, type RegistryReader } from '../../../src/imagepolicy/registry-scan.ts';

/** A registry that holds these tags, each with a digest made of its name. */
function registryWith(tags: string[]): RegistryReader {
  return {
    listTags: async () => tags,
    tagDigest: async (_repo, tag) => `sha256:${tag}`,
    imageCreated: async () => undefined,
  };
}

const policy = (spec: Partial<ImagePolicy['spec']> = {}): ImagePolicy => ({
  metadata: { name: 'web', namespace: 'apps' },
  spec: { image: '127.0.0.1:5000/team/web', gitSyncRef: { name: 'config' }, policy: { semver: { range: '>=1.0.0' } }, ...spec },
});
const quarantined = (tag: string, liftedAt?: string) => ({
  tag,
  canary: 'apps/web',
  reason: 'FailedChecks',
  time: '2026-12-01T09:00:00Z',
  ...(liftedAt ? { liftedAt } : {}),
});

describe('RegistryScanner with quarantined tags', () => {
  it('picks the best tag that is not quarantined and lists the quarantined one first among the skipped', async () => {
    const outcome = await new RegistryScanner().scan(
      policy({ ignoreTags: ['latest'] }),
      registryWith(['1.0.0', '1.1.0', '1.2.0', 'latest']),
      quarantinedTags([quarantined('1.2.0')]),
    );
    assert.deepEqual(outcome.latest, { tag: '1.1.0', digest: 'sha256:1.1.0' });
    assert.deepEqual(outcome.skipped[0], { tag: '1.2.0', reason: 'quarantined: canary apps/web failed' });
    assert.equal(outcome.tagsSeen, 4);
  });

  it('chooses a lifted tag again', async () => {
    const outcome = await new RegistryScanner().scan(
      policy(),
      registryWith(['1.0.0', '1.2.0']),
      quarantinedTags([quarantined('1.2.0', '2026-12-01T10:00:00Z')]),
    );
    assert.equal(outcome.latest?.tag, '1.2.0');
  });

  it('chooses nothing when every candidate is quarantined', async () => {
    const outcome = await new RegistryScanner().scan(policy(), registryWith(['1.2.0']), quarantinedTags([quarantined('1.2.0')]));
    assert.equal(outcome.latest, undefined);
  });
});
