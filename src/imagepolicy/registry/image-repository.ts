// Where an image lives: a registry host and a repository path, parsed with the rules `docker pull`
// uses, so that "nginx" and "docker.io/library/nginx" name the same repository.

export interface ImageRepository {
  /** host[:port] as written, e.g. "127.0.0.1:5000" or "docker.io". */
  registry: string;
  /** The repository inside the registry, e.g. "team/app" or "library/nginx". */
  path: string;
}

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

// The grammar of github.com/distribution/reference: lowercase components joined by '/', each made of
// alphanumerics separated by '.', '_', '__' or runs of '-'.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$/;
const MAX_PATH_LENGTH = 255;

// JSON-quoted and cut short: an image comes from a spec and may hold control characters or be huge.
const shown = (text: string) => (text.length > 80 ? `${JSON.stringify(text.slice(0, 80))}…` : JSON.stringify(text));

export function parseImageRepository(image: string): ImageRepository {
  const invalid = (why: string) => new Error(`${shown(image)} is not a valid image repository: ${why}`);
  const text = image.trim();
  if (text === '') throw invalid('it is empty');
  if (/^[a-z]+:\/\//i.test(text)) throw invalid('give it without a URL scheme, e.g. "ghcr.io/org/app"');
  if (text.includes('@')) throw invalid('it carries a digest; give the repository only');

  const slash = text.indexOf('/');
  const first = slash < 0 ? '' : text.slice(0, slash);
  // Like Docker: the first component is a registry only if it looks like a host, else it is Docker Hub.
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['));
  const registry = hasRegistry ? first : DOCKER_HUB;
  const rest = hasRegistry ? text.slice(slash + 1) : text;
  if (!HOST.test(registry)) throw invalid(`${shown(registry)} is not a registry host`);

  const components = rest.split('/');
  if (components.at(-1)?.includes(':')) throw invalid('it carries a tag; give the repository only');
  for (const component of components) {
    if (component === '') throw invalid('it has an empty path component');
    if (!PATH_COMPONENT.test(component))
      throw invalid(`${shown(component)} is not a valid path component (lowercase letters, digits and . _ - separators)`);
  }
  const isDockerHub = DOCKER_HUB_ALIASES.has(registry.toLowerCase());
  // Docker Hub's official images live under library/.
  const path = isDockerHub && components.length === 1 ? `library/${rest}` : rest;
  if (path.length > MAX_PATH_LENGTH) throw invalid(`the path is longer than ${MAX_PATH_LENGTH} characters`);
  return { registry: isDockerHub ? DOCKER_HUB : registry, path };
}

/** The host that serves the registry API: Docker Hub's API is not on docker.io itself. */
export function registryApiHost(repo: ImageRepository): string {
  return isDockerHub(repo.registry) ? DOCKER_HUB_API : repo.registry;
}

/** "host/path", the one spelling used to match a repository against webhook payloads and policies. */
export function repositoryName(repo: ImageRepository): string {
  return `${isDockerHub(repo.registry) ? DOCKER_HUB : repo.registry.toLowerCase()}/${repo.path}`;
}

export function isDockerHub(registry: string): boolean {
  return DOCKER_HUB_ALIASES.has(registry.toLowerCase());
}
