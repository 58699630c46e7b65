// Where the primary's releases are kept: one Secret per Canary, `<target>-primary-releases`, owned by
// the Canary (so it goes with it) and never leaving its namespace. Written only when the primary is
// given a new revision, read only to put a release back; neither happens on a steady reconcile.
import type { Canary } from '../api/canary.ts';
import { isNotFound } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/client.ts';
import { SECRETS } from '../kube/resource-types.ts';
import type { ConfigObject } from './config-copies.ts';
import { primaryName } from './naming.ts';
import { controllerReference, MANAGED_BY, MANAGED_BY_LABEL } from './owner.ts';
import { decodeRelease, keptReleases, type PrimaryRelease } from './primary-release.ts';

export const RELEASES_SECRET_TYPE = 'wren.dev/primary-releases';

export const releasesSecretName = (targetName: string) => `${primaryName(targetName)}-releases`;

export class ReleaseStore {
  private readonly client: KubeClient;

  constructor(client: KubeClient) {
    this.client = client;
  }

  private async stored(canary: Canary): Promise<Record<string, string>> {
    try {
      const secret = await this.client.get<ConfigObject>(
        SECRETS,
        canary.metadata?.namespace,
        releasesSecretName(canary.spec.targetRef.name),
      );
      return secret.data ?? {};
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
  }

  /** Keeps `release`, and the release of `keep` (the last promoted revision) if it is kept already. */
  async save(canary: Canary, release: PrimaryRelease, keep: string | undefined): Promise<void> {
    const data = keptReleases(await this.stored(canary), keep, release);
    await this.client.apply(SECRETS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: releasesSecretName(canary.spec.targetRef.name),
        namespace: canary.metadata?.namespace,
        labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
        ownerReferences: [controllerReference(canary)],
      },
      type: RELEASES_SECRET_TYPE,
      data,
    } as ConfigObject);
  }

  async load(canary: Canary, revision: string): Promise<PrimaryRelease | undefined> {
    return decodeRelease(revision, (await this.stored(canary))[revision]);
  }
}
