// The registry client of an ImagePolicy, with the credentials of its dockerconfigjson Secret. Clients
// are kept per policy while their settings stay the same, so bearer tokens are reused across scans;
// the credentials are read again at every scan, so a rotated Secret takes effect at once.
import { createHash } from 'node:crypto';
import type { ImagePolicy } from '../api/image-policy.ts';
import type { KubeClient } from '../kube/client.ts';
import { readObjectData } from '../kube/object-data.ts';
import { SECRETS } from '../kube/resource-types.ts';
import { credentialsFromDockerConfig } from './registry/docker-config.ts';
import { parseImageRepository } from './registry/image-repository.ts';
import type { RegistryCredentials } from './registry/registry-credentials.ts';
import { RegistryClient } from './registry/registry-client.ts';
import type { RegistryReader } from './registry-scan.ts';

const DOCKER_CONFIG_KEY = '.dockerconfigjson';

export class RegistryAccess {
  private readonly client: KubeClient;
  private readonly clients = new Map<string, { settings: string; reader: RegistryClient }>();

  constructor(client: KubeClient) {
    this.client = client;
  }

  async readerFor(policy: ImagePolicy): Promise<RegistryReader> {
    const key = `${policy.metadata?.namespace}/${policy.metadata?.name}`;
    const credentials = await this.credentials(policy);
    const settings = createHash('sha256')
      .update(JSON.stringify([policy.spec.insecure ?? false, credentials ?? null]))
      .digest('hex');
    const cached = this.clients.get(key);
    if (cached?.settings === settings) return cached.reader;
    const reader = new RegistryClient({ insecure: policy.spec.insecure ?? false, ...(credentials ? { credentials } : {}) });
    this.clients.set(key, { settings, reader });
    return reader;
  }

  forget(key: string): void {
    this.clients.delete(key);
  }

  private async credentials(policy: ImagePolicy): Promise<RegistryCredentials | undefined> {
    const ref = policy.spec.secretRef;
    if (!ref) return undefined;
    const namespace = policy.metadata?.namespace ?? 'default';
    const data = await readObjectData(this.client, SECRETS, namespace, ref.name);
    if (!data) throw new Error(`Secret ${namespace}/${ref.name} named by spec.secretRef does not exist`);
    const encoded = data[DOCKER_CONFIG_KEY];
    if (!encoded) throw new Error(`Secret ${namespace}/${ref.name} named by spec.secretRef has no ${DOCKER_CONFIG_KEY} key`);
    const registry = parseImageRepository(policy.spec.image).registry;
    return credentialsFromDockerConfig(Buffer.from(encoded, 'base64').toString('utf8'), registry);
  }
}
