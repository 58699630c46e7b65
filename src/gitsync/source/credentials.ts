// Credentials for a repository, read from the Secret that spec.secretRef names (Flux's key names).
export interface GitCredentials {
  username?: string;
  password?: string;
  bearerToken?: string;
  /** SSH private key (PEM or OpenSSH format). */
  identity?: string;
  /** known_hosts lines for the SSH host. */
  knownHosts?: string;
}

const KEYS: Record<string, keyof GitCredentials> = {
  username: 'username',
  password: 'password',
  bearerToken: 'bearerToken',
  identity: 'identity',
  known_hosts: 'knownHosts',
};

/** Decodes a Secret's base64 `data`; keys Wren does not know and empty values are left out. */
export function credentialsFromSecret(data: Record<string, string>): GitCredentials {
  const credentials: GitCredentials = {};
  for (const [key, encoded] of Object.entries(data)) {
    const field = KEYS[key];
    if (!field) continue;
    const value = Buffer.from(encoded, 'base64').toString('utf8');
    if (value) credentials[field] = value;
  }
  return credentials;
}

/** Every secret value worth scrubbing from a message, longest first. */
export function secretValues(credentials: GitCredentials | undefined): string[] {
  if (!credentials) return [];
  const values = [credentials.password, credentials.bearerToken, credentials.identity].filter((value): value is string => !!value);
  if (credentials.password) {
    values.push(Buffer.from(`${credentials.username ?? ''}:${credentials.password}`).toString('base64'));
    values.push(encodeURIComponent(credentials.password));
  }
  if (credentials.bearerToken) values.push(encodeURIComponent(credentials.bearerToken));
  for (const line of credentials.identity?.split('\n') ?? []) if (line.trim().length >= 16) values.push(line.trim());
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}
