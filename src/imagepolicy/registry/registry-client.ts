// A read-only client of the Docker Registry HTTP API v2 / OCI distribution spec: the tags of a
// repository, the digest a tag points at, and when an image was built.
import { createHash } from 'node:crypto';
import type { ImageRepository } from './image-repository.ts';
import { nextPageUrl } from './link-header.ts';
import { createdFromConfig, MANIFEST_ACCEPT, parseManifest, type ParsedManifest } from './manifest.ts';
import { DEFAULT_PLATFORM, formatPlatform, parsePlatform, selectPlatform } from './platform.ts';
import type { RegistryCredentials } from './registry-credentials.ts';
import { RegistryError } from './registry-error.ts';
import { RegistryTransport, type RegistryResponse } from './registry-transport.ts';

export { RegistryError };

export interface RegistryClientOptions {
  /** Plain http instead of https. */
  insecure?: boolean;
  credentials?: RegistryCredentials;
  /** Per request; default 30s. */
  timeoutMs?: number;
  /** Tags asked for per page; default 100. */
  pageSize?: number;
}

const DEFAULT_PAGE_SIZE = 100;
// A registry that keeps sending "next" forever must not keep us polling forever.
const MAX_TAG_PAGES = 1000;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/;

export class RegistryClient {
  private readonly transport: RegistryTransport;
  private readonly pageSize: number;

  constructor(options: RegistryClientOptions = {}) {
    this.transport = new RegistryTransport({ ...options, actions: ['pull'] });
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1)
      throw new Error(`the tag page size must be a positive integer, not ${options.pageSize}`);
  }

  /** Every tag of the repository, following the registry's pages (Link rel="next"). */
  async listTags(repo: ImageRepository): Promise<string[]> {
    const subject = `the tags of ${repo.path}`;
    const tags = new Set<string>();
    const visited = new Set<string>();
    let page: string | undefined = `/v2/${repo.path}/tags/list?n=${this.pageSize}`;
    while (page !== undefined) {
      if (visited.has(page))
        throw new RegistryError(`registry ${repo.registry} sent the same page twice while listing ${subject} (${page})`);
      if (visited.size >= MAX_TAG_PAGES)
        throw new RegistryError(`registry ${repo.registry} sent more than ${MAX_TAG_PAGES} pages while listing ${subject}`);
      visited.add(page);
      const response = await this.transport.send(repo, { method: 'GET', url: page, headers: { Accept: 'application/json' }, subject });
      for (const tag of tagsOf(response, repo, subject)) tags.add(tag);
      const next = nextPageUrl(response.headers.get('link'), response.url);
      // Only the path and query are taken: a proxy may write its own scheme or host into the link,
      // and the next page is on this registry whatever it says.
      page = next === undefined ? undefined : pathAndQuery(next);
    }
    return [...tags];
  }

  /** The digest the tag points at (of the index for a multi-platform image). */
  async tagDigest(repo: ImageRepository, tag: string): Promise<string> {
    const request = manifestRequest(repo, checkedTag(tag), `the manifest of ${repo.path}:${tag}`);
    const head = await this.transport.send(repo, { ...request, method: 'HEAD' });
    const digest = head.headers.get('docker-content-digest');
    if (digest && DIGEST.test(digest)) return digest;
    // Some registries leave the header off a HEAD: the digest is the hash of the exact bytes served.
    const full = await this.transport.send(repo, request);
    return `sha256:${createHash('sha256').update(full.body).digest('hex')}`;
  }

  /**
   * When the image behind the tag was built, from the `created` field of its config; for a
   * multi-platform image, of the one for `platform` ("os/arch[/variant]", default linux/amd64).
   */
  async imageCreated(repo: ImageRepository, tag: string, platform: string = DEFAULT_PLATFORM): Promise<Date | undefined> {
    const wanted = parsePlatform(platform);
    const name = `${repo.path}:${checkedTag(tag)}`;
    let manifest = await this.manifest(repo, tag, `the manifest of ${name}`);
    if (manifest.kind === 'index') {
      const entry = selectPlatform(manifest.manifests, wanted);
      if (!entry) {
        const available = manifest.manifests.flatMap((candidate) => (candidate.platform ? [formatPlatform(candidate.platform)] : []));
        throw new RegistryError(
          `${repo.registry}/${name} has no image for platform ${formatPlatform(wanted)}; it has ${available.length > 0 ? available.join(', ') : 'no platform-specific images'}`,
        );
      }
      manifest = await this.manifest(repo, checkedDigest(repo, entry.digest), `the ${formatPlatform(wanted)} manifest of ${name}`);
      if (manifest.kind === 'index')
        throw new RegistryError(`registry ${repo.registry} sent an index inside the index of ${name}, which is not supported`);
    }
    const subject = `the config of ${name}`;
    const config = await this.transport.send(repo, {
      method: 'GET',
      url: `/v2/${repo.path}/blobs/${checkedDigest(repo, manifest.configDigest)}`,
      subject,
    });
    try {
      return createdFromConfig(config.body.toString('utf8'));
    } catch (error) {
      throw new RegistryError(`registry ${repo.registry} sent an unreadable ${subject}: ${(error as Error).message}`);
    }
  }

  private async manifest(repo: ImageRepository, reference: string, subject: string): Promise<ParsedManifest> {
    const response = await this.transport.send(repo, manifestRequest(repo, reference, subject));
    try {
      return parseManifest(response.body.toString('utf8'), response.headers.get('content-type'));
    } catch (error) {
      throw new RegistryError(`registry ${repo.registry} sent an unreadable ${subject}: ${(error as Error).message}`);
    }
  }
}

function manifestRequest(repo: ImageRepository, reference: string, subject: string) {
  return { method: 'GET' as const, url: `/v2/${repo.path}/manifests/${reference}`, headers: { Accept: MANIFEST_ACCEPT }, subject };
}

function tagsOf(response: RegistryResponse, repo: ImageRepository, subject: string): string[] {
  let body: { tags?: unknown };
  try {
    body = JSON.parse(response.body.toString('utf8')) as typeof body;
  } catch {
    throw new RegistryError(`registry ${repo.registry} sent ${subject} as something that is not JSON`);
  }
  // A repository without tags may answer "tags": null.
  if (body.tags === null || body.tags === undefined) return [];
  if (!Array.isArray(body.tags)) throw new RegistryError(`registry ${repo.registry} sent ${subject} without a list of tags`);
  return body.tags.filter((tag): tag is string => typeof tag === 'string');
}

function pathAndQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

function checkedTag(tag: string): string {
  if (!TAG.test(tag)) throw new Error(`"${tag}" is not a valid image tag`);
  return tag;
}

function checkedDigest(repo: ImageRepository, digest: string): string {
  if (!DIGEST.test(digest)) throw new RegistryError(`registry ${repo.registry} referred to "${digest}", which is not a digest`);
  return digest;
}
