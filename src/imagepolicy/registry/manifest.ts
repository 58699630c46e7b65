// The manifest formats the client understands: OCI and Docker v2 image manifests, and the indexes
// (OCI image index, Docker manifest list) that point to one manifest per platform.
import type { Platform } from './platform.ts';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** What to ask for: every format understood, so the registry never converts (which changes the digest). */
export const MANIFEST_ACCEPT = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST].join(', ');

export interface IndexEntry {
  digest: string;
  mediaType?: string;
  platform?: Platform;
}

export type ParsedManifest = { kind: 'index'; manifests: IndexEntry[] } | { kind: 'image'; configDigest: string };

/**
 * Reads a manifest body. The media type comes from the body when it has one, else from the
 * Content-Type header (OCI manifests may leave mediaType out).
 */
export function parseManifest(body: string, contentType: string | null): ParsedManifest {
  let json: { mediaType?: unknown; manifests?: unknown; config?: { digest?: unknown } };
  try {
    json = JSON.parse(body) as typeof json;
  } catch {
    throw new Error('the manifest is not valid JSON');
  }
  const mediaType =
    typeof json.mediaType === 'string' && json.mediaType !== '' ? json.mediaType : (contentType ?? '').split(';')[0]?.trim();
  const looksLikeIndex = Array.isArray(json.manifests) && json.config === undefined;
  if (mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST || (!mediaType && looksLikeIndex)) {
    if (!Array.isArray(json.manifests)) throw new Error(`the ${mediaType || 'index'} has no manifests list`);
    return { kind: 'index', manifests: json.manifests.filter(isIndexEntry).map(indexEntry) };
  }
  if (mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST || (!mediaType && json.config !== undefined)) {
    const digest = json.config?.digest;
    if (typeof digest !== 'string' || digest === '') throw new Error(`the ${mediaType || 'manifest'} names no config blob`);
    return { kind: 'image', configDigest: digest };
  }
  throw new Error(`the manifest has the unsupported media type "${mediaType}"`);
}

/** The image's creation time from its config blob, if it states a valid one. */
export function createdFromConfig(body: string): Date | undefined {
  let config: { created?: unknown };
  try {
    config = JSON.parse(body) as typeof config;
  } catch {
    throw new Error('the image config is not valid JSON');
  }
  if (typeof config.created !== 'string') return undefined;
  const created = new Date(config.created);
  return Number.isNaN(created.getTime()) ? undefined : created;
}

function isIndexEntry(value: unknown): value is { digest: string; mediaType?: unknown; platform?: Record<string, unknown> } {
  return typeof value === 'object' && value !== null && typeof (value as { digest?: unknown }).digest === 'string';
}

function indexEntry(entry: { digest: string; mediaType?: unknown; platform?: Record<string, unknown> }): IndexEntry {
  const platform = entry.platform;
  const os = platform?.os;
  const architecture = platform?.architecture;
  const variant = platform?.variant;
  return {
    digest: entry.digest,
    ...(typeof entry.mediaType === 'string' ? { mediaType: entry.mediaType } : {}),
    ...(typeof os === 'string' && typeof architecture === 'string'
      ? { platform: { os, architecture, ...(typeof variant === 'string' && variant !== '' ? { variant } : {}) } }
      : {}),
  };
}
