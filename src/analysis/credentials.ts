// Metric provider credentials from Secrets. The watch cache holds only a checksum of each Secret;
// the data is read when the checksum changes, so a steady analysis costs no reads, and secret
// values stay out of the cache, logs and status.
import { isNotFound } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Informer } from '../kube/informer.ts';
import { SECRETS } from '../kube/resource-types.ts';
import type { ConfigObject } from '../workload/config-copies.ts';
import type { Credentials } from './providers/provider-request.ts';

const decode = (value: string | undefined) => (value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8').trim());

export class CredentialStore {
  private readonly client: KubeClient;
  private readonly secrets: Informer<ConfigObject>;
  private readonly cache = new Map<string, { checksum: string | undefined; credentials: Credentials }>();

  constructor(client: KubeClient, secrets: Informer<ConfigObject>) {
    this.client = client;
    this.secrets = secrets;
  }

  /** `referrer` names the field that points at the Secret, for the message when it does not exist. */
  async get(namespace: string, name: string, referrer = 'provider.secretRef'): Promise<Credentials> {
    const key = `${namespace}/${name}`;
    const checksum = this.secrets.get(key)?.dataChecksum;
    const cached = this.cache.get(key);
    if (cached && cached.checksum === checksum && checksum !== undefined) return cached.credentials;
    let secret: ConfigObject;
    try {
      secret = await this.client.get<ConfigObject>(SECRETS, namespace, name);
    } catch (error) {
      if (isNotFound(error)) throw new Error(`Secret ${namespace}/${name} (${referrer}) does not exist`);
      throw error;
    }
    const data = secret.data ?? {};
    const credentials: Credentials = {
      ...(data.token ? { token: decode(data.token) } : {}),
      ...(data.username ? { username: decode(data.username), password: decode(data.password) ?? '' } : {}),
      keys: Object.fromEntries(Object.entries(data).map(([name, value]) => [name, decode(value) ?? ''])),
      secret: key,
    };
    this.cache.set(key, { checksum, credentials });
    return credentials;
  }
}
