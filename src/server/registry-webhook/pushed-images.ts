// Which image repositories a registry webhook delivery says were pushed to, for the formats the
// common registries send: the distribution registry's notifications (also Harbor's and GitLab's
// registries underneath), Docker Hub, Harbor, and a generic {"repository": "host/path"}. A repository
// without a host (distribution notifications without request.host) matches on its path alone.
export interface PushedImage {
  /** host[:port], when the delivery says. */
  host?: string;
  path: string;
  tag?: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

export function pushedImages(payload: unknown): PushedImage[] {
  if (!isObject(payload)) return [];
  if (Array.isArray(payload.events)) return payload.events.flatMap(distributionEvent);
  if (isObject(payload.push_data) && isObject(payload.repository)) return dockerHub(payload);
  if (isObject(payload.event_data)) return harbor(payload.event_data);
  const repository = text(payload.repository);
  return repository ? [withTag(splitHostAndPath(repository), text(payload.tag))] : [];
}

function distributionEvent(event: unknown): PushedImage[] {
  if (!isObject(event) || event.action !== 'push' || !isObject(event.target)) return [];
  const path = text(event.target.repository);
  // Blob uploads are events too; only a manifest (it has a tag or a manifest media type) is an image.
  const mediaType = text(event.target.mediaType) ?? '';
  if (!path || (!text(event.target.tag) && !/manifest|index/.test(mediaType))) return [];
  const host = isObject(event.request) ? text(event.request.host) : undefined;
  return [withTag({ ...(host ? { host } : {}), path }, text(event.target.tag))];
}

function dockerHub(payload: Json): PushedImage[] {
  const name = text((payload.repository as Json).repo_name);
  if (!name) return [];
  return [withTag({ host: 'docker.io', path: name.includes('/') ? name : `library/${name}` }, text((payload.push_data as Json).tag))];
}

function harbor(data: Json): PushedImage[] {
  const resources = Array.isArray(data.resources) ? data.resources.filter(isObject) : [];
  const fromUrls = resources.flatMap((resource) => {
    const url = text(resource.resource_url);
    if (!url) return [];
    const withoutDigest = url.split('@')[0] ?? url;
    const lastSlash = withoutDigest.lastIndexOf('/');
    const colon = withoutDigest.indexOf(':', lastSlash);
    return [withTag(splitHostAndPath(colon >= 0 ? withoutDigest.slice(0, colon) : withoutDigest), text(resource.tag))];
  });
  if (fromUrls.length > 0) return fromUrls;
  const name = isObject(data.repository) ? text(data.repository.repo_full_name) : undefined;
  return name ? [{ path: name }] : [];
}

/** "host:port/path" or "path": the first segment is a host when it has a dot or a colon, or is localhost. */
export function splitHostAndPath(repository: string): PushedImage {
  const [first = '', ...rest] = repository.split('/');
  if (rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost'))
    return { host: first, path: rest.join('/') };
  return { path: repository };
}

function withTag(image: PushedImage, tag: string | undefined): PushedImage {
  return tag ? { ...image, tag } : image;
}
