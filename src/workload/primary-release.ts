// A release of the primary: the pod template it runs and the content of the configs it tracks, as
// read from the target when the release was written. Kept so that a promotion that fails or is cut
// short can put the last promoted release back, configs included. Pure: encoding, the revision a
// release really is, and which releases to keep.
import type { ConfigObject } from './config-copies.ts';
import { configChecksum } from './config-copies.ts';
import { configKey, type ConfigKind } from './config-refs.ts';
import { targetRevision } from './revision.ts';
import type { PodTemplate } from './workload-types.ts';

export interface PrimaryRelease {
  revision: string;
  template: PodTemplate;
  /** The target's tracked ConfigMaps and Secrets, with their data, at the time of the release. */
  configs: ConfigObject[];
}

/** Releases are kept in a Secret (config data may be secret); its data values are base64 JSON. */
const MAX_RELEASE_BYTES = 400_000;

/** The revision of what a release holds: equal to the observed revision only if nothing changed in between. */
export function releaseRevision(template: PodTemplate | undefined, configs: readonly ConfigObject[]): string {
  const checksums: Record<string, string> = {};
  for (const config of configs) {
    checksums[configKey({ kind: config.kind as ConfigKind, name: config.metadata?.name ?? '' })] = configChecksum(config);
  }
  return targetRevision(template, checksums);
}

function storedConfig(config: ConfigObject): ConfigObject {
  return {
    kind: config.kind,
    metadata: { name: config.metadata?.name },
    ...(config.data ? { data: config.data } : {}),
    ...(config.binaryData ? { binaryData: config.binaryData } : {}),
    ...(config.type ? { type: config.type } : {}),
  };
}

export function encodeRelease(release: PrimaryRelease): string {
  const json = JSON.stringify({ template: release.template, configs: release.configs.map(storedConfig) });
  if (json.length > MAX_RELEASE_BYTES) {
    throw new Error(
      `revision ${release.revision} (pod template and tracked configs, ${json.length} bytes) is too large to keep for a rollback of the primary (limit ${MAX_RELEASE_BYTES} bytes)`,
    );
  }
  return Buffer.from(json, 'utf8').toString('base64');
}

export function decodeRelease(revision: string, encoded: string | undefined): PrimaryRelease | undefined {
  if (!encoded) return undefined;
  const parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Omit<PrimaryRelease, 'revision'>;
  return { revision, template: parsed.template, configs: parsed.configs };
}

/**
 * The stored releases after `added` is written: the one the primary must be able to go back to
 * (`keep`, the last promoted revision) and the new one. Older ones are dropped.
 */
export function keptReleases(stored: Record<string, string>, keep: string | undefined, added: PrimaryRelease): Record<string, string> {
  const kept: Record<string, string> = {};
  if (keep && keep !== added.revision && stored[keep]) kept[keep] = stored[keep];
  kept[added.revision] = encodeRelease(added);
  return kept;
}
