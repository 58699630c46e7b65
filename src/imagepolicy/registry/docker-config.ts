// Credentials from a kubernetes.io/dockerconfigjson Secret (the `.dockerconfigjson` key), matched to a
// registry the way Docker and the kubelet match them: keys are written every which way
// ("ghcr.io", "https://ghcr.io", "https://index.docker.io/v1/"), so compare hosts, not strings.
// Error messages name keys and registries only: the file's content is secret.
import { isDockerHub } from './image-repository.ts';
import type { RegistryCredentials } from './registry-credentials.ts';

export type { RegistryCredentials };

// Docker's marker for an identity (refresh) token stored in place of a username.
const IDENTITY_TOKEN_USER = '<token>';

interface AuthEntry {
  username?: unknown;
  password?: unknown;
  auth?: unknown;
  identitytoken?: unknown;
}

export function credentialsFromDockerConfig(json: string, registry: string): RegistryCredentials | undefined {
  let config: unknown;
  try {
    config = JSON.parse(json);
  } catch {
    // The parser's message quotes the input, which holds passwords: say only what is wrong.
    throw new Error('the docker config (.dockerconfigjson) is not valid JSON');
  }
  if (!isObject(config)) throw new Error('the docker config (.dockerconfigjson) is not a JSON object');
  // .dockerconfigjson nests the entries under "auths"; the legacy .dockercfg has them at the top.
  const auths = 'auths' in config ? config.auths : config;
  if (!isObject(auths)) throw new Error('the docker config (.dockerconfigjson) has an "auths" that is not an object');

  const key = matchingKey(Object.keys(auths), registry);
  if (key === undefined) return undefined;
  const entry = auths[key];
  if (!isObject(entry)) throw new Error(`the docker config entry "${key}" is not an object`);
  return credentialsOf(entry as AuthEntry, key);
}

/** The entry for a registry: an exact key wins, then any key naming the same host. */
function matchingKey(keys: string[], registry: string): string | undefined {
  if (keys.includes(registry)) return registry;
  const wanted = normalizedHost(registry);
  return keys.find((key) => normalizedHost(key) === wanted);
}

/** "https://index.docker.io/v1/" → "docker.io", "HTTP://Registry:5000/" → "registry:5000". */
export function normalizedHost(key: string): string {
  const host = key
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/s, '')
    .toLowerCase();
  return isDockerHub(host) ? 'docker.io' : host;
}

function credentialsOf(entry: AuthEntry, key: string): RegistryCredentials {
  let username = typeof entry.username === 'string' && entry.username !== '' ? entry.username : undefined;
  let password = typeof entry.password === 'string' && entry.password !== '' ? entry.password : undefined;
  if (typeof entry.auth === 'string' && entry.auth !== '' && (username === undefined || password === undefined)) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new Error(`the docker config entry "${key}" has an "auth" that is not base64 of "username:password"`);
    username ??= decoded.slice(0, colon);
    password ??= decoded.slice(colon + 1);
  }
  // An identity token goes to the token server as the password (how ACR and Docker's own client use it).
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    return { username: username ?? IDENTITY_TOKEN_USER, password: entry.identitytoken };
  }
  return { ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
