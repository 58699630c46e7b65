// Tracked configs: a checksum per ConfigMap/Secret the target uses (a change releases a canary),
// and the -primary copies the primary reads, so the primary keeps its configs while a canary runs.
import type { KubeObject } from '../kube/objects.ts';
import { contentHash } from '../kube/content-hash.ts';
import type { ConfigKind } from './config-refs.ts';
import { primaryName } from './naming.ts';
import { controllerReference, MANAGED_BY, MANAGED_BY_LABEL } from './owner.ts';

/** Users opt a config out of tracking with this annotation set to "disabled" (Flagger's config-tracking). */
export const CONFIG_TRACKING_ANNOTATION = 'wren.dev/config-tracking';

export interface ConfigObject extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  stringData?: Record<string, string>;
  type?: string;
  immutable?: boolean;
  /** Set by the watch cache instead of keeping the data itself (see dataChecksumOnly). */
  dataChecksum?: string;
}

export function isTracked(config: ConfigObject): boolean {
  return config.metadata?.annotations?.[CONFIG_TRACKING_ANNOTATION] !== 'disabled';
}

export function configChecksum(config: ConfigObject): string {
  return config.dataChecksum ?? contentHash({ data: config.data ?? {}, binaryData: config.binaryData ?? {}, type: config.type });
}

/**
 * Cache transform: keep a checksum of a config's data, not the data. Secret values then never sit
 * in the operator's memory, and a cluster full of large ConfigMaps costs little. The data is read
 * only when a copy is actually written.
 */
export function dataChecksumOnly(object: ConfigObject): ConfigObject {
  const { data: _data, binaryData: _binary, stringData: _string, ...rest } = object;
  return { ...rest, dataChecksum: configChecksum(object) };
}

export function buildConfigCopy(canary: KubeObject, kind: ConfigKind, source: ConfigObject): ConfigObject {
  return {
    apiVersion: 'v1',
    kind,
    metadata: {
      name: primaryName(source.metadata?.name ?? ''),
      namespace: canary.metadata?.namespace,
      labels: { ...(source.metadata?.labels ?? {}), [MANAGED_BY_LABEL]: MANAGED_BY },
      ownerReferences: [controllerReference(canary)],
    },
    ...(source.data ? { data: source.data } : {}),
    ...(source.binaryData ? { binaryData: source.binaryData } : {}),
    ...(kind === 'Secret' && source.type ? { type: source.type } : {}),
  };
}
