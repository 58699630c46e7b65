// Pushes a small image through the registry API alone (no Docker): a random layer, a config blob
// with the creation date and platform, an OCI image manifest per platform and, for several
// platforms, an OCI image index under the tag. The registry does not look inside layers, so random
// bytes with the right digest do.
import { createHash, randomBytes } from 'node:crypto';
import type { ImageRepository } from '../../src/imagepolicy/registry/image-repository.ts';
import { OCI_INDEX, OCI_MANIFEST } from '../../src/imagepolicy/registry/manifest.ts';
import { parsePlatform, type Platform } from '../../src/imagepolicy/registry/platform.ts';
import type { RegistryTransport } from '../../src/imagepolicy/registry/registry-transport.ts';

const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface PushImageOptions {
  /** The config's creation date; default now. */
  created?: Date;
  /** One manifest per platform ("os/arch[/variant]") under an index; without it, one linux/amd64 manifest. */
  platforms?: string[];
  /** A creation date per platform, overriding `created`. */
  createdByPlatform?: Record<string, Date>;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export async function pushImage(
  transport: RegistryTransport,
  repo: ImageRepository,
  tag: string,
  options: PushImageOptions = {},
): Promise<{ digest: string }> {
  if (!options.platforms) return { digest: (await pushPlatformManifest(transport, repo, tag, 'linux/amd64', options)).digest };
  const manifests = [];
  for (const platform of options.platforms) {
    const manifest = await pushPlatformManifest(transport, repo, undefined, platform, options);
    manifests.push({ ...manifest, platform: parsePlatform(platform) });
  }
  const index = { schemaVersion: 2, mediaType: OCI_INDEX, manifests };
  return { digest: (await putManifest(transport, repo, tag, OCI_INDEX, index)).digest };
}

/** Pushes the blobs and manifest of one platform's image, under the tag or (without one) by digest. */
async function pushPlatformManifest(
  transport: RegistryTransport,
  repo: ImageRepository,
  tag: string | undefined,
  platform: string,
  options: PushImageOptions,
): Promise<Descriptor> {
  const created = options.createdByPlatform?.[platform] ?? options.created ?? new Date();
  const layer = await uploadBlob(transport, repo, OCI_LAYER, randomBytes(64));
  const config = await uploadBlob(
    transport,
    repo,
    OCI_CONFIG,
    Buffer.from(JSON.stringify(imageConfig(parsePlatform(platform), created, layer.digest))),
  );
  const manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] };
  return putManifest(transport, repo, tag, OCI_MANIFEST, manifest);
}

function imageConfig(platform: Platform, created: Date, diffId: string): object {
  return {
    created: created.toISOString(),
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: {},
    rootfs: { type: 'layers', diff_ids: [diffId] },
  };
}

async function uploadBlob(transport: RegistryTransport, repo: ImageRepository, mediaType: string, bytes: Buffer): Promise<Descriptor> {
  const digest = sha256(bytes);
  const subject = `an upload to ${repo.path}`;
  const started = await transport.send(repo, { method: 'POST', url: `/v2/${repo.path}/blobs/uploads/`, subject });
  const location = started.headers.get('location');
  if (!location) throw new Error(`registry ${repo.registry} started ${subject} without a Location`);
  const target = new URL(location, started.url);
  target.searchParams.set('digest', digest);
  await transport.send(repo, {
    method: 'PUT',
    url: target.toString(),
    headers: { 'Content-Type': 'application/octet-stream' },
    body: bytes,
    subject,
  });
  return { mediaType, digest, size: bytes.length };
}

async function putManifest(
  transport: RegistryTransport,
  repo: ImageRepository,
  tag: string | undefined,
  mediaType: string,
  manifest: object,
): Promise<Descriptor> {
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = sha256(bytes);
  const reference = tag ?? digest;
  const response = await transport.send(repo, {
    method: 'PUT',
    url: `/v2/${repo.path}/manifests/${reference}`,
    headers: { 'Content-Type': mediaType },
    body: bytes,
    subject: `the manifest ${repo.path}:${reference}`,
  });
  const stored = response.headers.get('docker-content-digest');
  if (stored !== digest)
    throw new Error(`registry ${repo.registry} stored ${repo.path}:${reference} as ${stored}, not as the pushed ${digest}`);
  return { mediaType, digest, size: bytes.length };
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
