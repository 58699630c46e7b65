// What a sync reads from the cluster besides Git: repository credentials, age keys, substitution
// variables, and the placeholder backend. Secrets are read when a sync needs them (never cached by
// the operator's watches) and their values only travel to the tools that use them.
import type { GitSync } from '../api/git-sync.ts';
import { readObjectData } from '../kube/object-data.ts';
import type { KubeClient } from '../kube/client.ts';
import { contentHash } from '../kube/content-hash.ts';
import type { KubeObject } from '../kube/objects.ts';
import { CONFIG_MAPS, SECRETS, SERVICE_ACCOUNTS } from '../kube/resource-types.ts';
import type { PlaceholderBackend } from './secrets/placeholder-backend.ts';
import { placeholderBackendFor } from './secrets/placeholder-backends.ts';
import { readOncePerSync } from './secrets/resolve-placeholders.ts';
import { credentialsFromSecret, type GitCredentials } from './source/credentials.ts';
import { readGitSecret } from './source/git-secret.ts';
import { SyncError } from './sync-error.ts';

export interface SyncInputs {
  credentials: GitCredentials | undefined;
  ageKeys: string[];
  variables: Record<string, string>;
  placeholders: PlaceholderBackend | undefined;
  /** Changes when any input that shapes the rendered objects changes (a digest: no values). */
  digest: string;
}

const decode = (data: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));

export class SyncInputReader {
  private readonly client: KubeClient;
  /** One placeholder backend per GitSync generation, so a Vault login is reused between syncs. */
  private readonly backends = new Map<string, { generation: number | undefined; backend: PlaceholderBackend }>();

  constructor(client: KubeClient) {
    this.client = client;
  }

  async read(sync: GitSync): Promise<SyncInputs> {
    const namespace = sync.metadata?.namespace ?? 'default';
    const spec = sync.spec;
    const gitSecret = await readGitSecret(this.client, sync);
    const decryptionSecret = spec.decryption ? await this.decryptionSecret(namespace, spec.decryption.secretRef.name) : undefined;
    const ageKeys = Object.entries(decode(decryptionSecret))
      .filter(([key]) => key.endsWith('.agekey'))
      .flatMap(([, value]) =>
        value
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line.startsWith('AGE-SECRET-KEY-')),
      );
    const variables = await this.variables(sync);
    return {
      credentials: gitSecret ? credentialsFromSecret(gitSecret) : undefined,
      ageKeys,
      variables,
      placeholders: spec.placeholders ? readOncePerSync(this.backendFor(sync)) : undefined,
      digest: contentHash({ variables, ageKeys, git: gitSecret }),
    };
  }

  /** The data of a Secret (base64 as stored) or ConfigMap, or undefined when it does not exist. */
  private rawData(type: typeof SECRETS, namespace: string, name: string): Promise<Record<string, string> | undefined> {
    return readObjectData(this.client, type, namespace, name);
  }

  private async readData(type: typeof SECRETS, namespace: string, name: string): Promise<Record<string, string> | undefined> {
    const data = await this.rawData(type, namespace, name);
    return data && type === SECRETS ? decode(data) : data;
  }

  private async decryptionSecret(namespace: string, name: string): Promise<Record<string, string>> {
    const data = await this.rawData(SECRETS, namespace, name);
    if (!data) throw new SyncError('decrypt', `Secret ${namespace}/${name} named by spec.decryption.secretRef does not exist`);
    return data;
  }

  /** postBuild.substitute over the sources in substituteFrom, in order (later wins, as in Flux). */
  private async variables(sync: GitSync): Promise<Record<string, string>> {
    const postBuild = sync.spec.postBuild;
    if (!postBuild) return {};
    const namespace = sync.metadata?.namespace ?? 'default';
    const variables: Record<string, string> = {};
    for (const source of postBuild.substituteFrom ?? []) {
      const values = await this.readData(source.kind === 'Secret' ? SECRETS : CONFIG_MAPS, namespace, source.name);
      if (!values && !source.optional) {
        throw new SyncError(
          'substitute',
          `${source.kind} ${namespace}/${source.name} named in spec.postBuild.substituteFrom does not exist`,
        );
      }
      Object.assign(variables, values ?? {});
    }
    return Object.assign(variables, postBuild.substitute ?? {});
  }

  private backendFor(sync: GitSync): PlaceholderBackend {
    const key = sync.metadata?.uid ?? `${sync.metadata?.namespace}/${sync.metadata?.name}`;
    const cached = this.backends.get(key);
    if (cached && cached.generation === sync.metadata?.generation) return cached.backend;
    const namespace = sync.metadata?.namespace ?? 'default';
    let backend: PlaceholderBackend;
    try {
      backend = placeholderBackendFor(sync.spec.placeholders as NonNullable<GitSync['spec']['placeholders']>, {
        namespace,
        readSecret: (secretNamespace, name) => this.rawData(SECRETS, secretNamespace, name),
        serviceAccountToken: (saNamespace, serviceAccount, audience) => this.serviceAccountToken(saNamespace, serviceAccount, audience),
      });
    } catch (error) {
      throw new SyncError('placeholders', error instanceof Error ? error.message : String(error));
    }
    this.backends.set(key, { generation: sync.metadata?.generation, backend });
    return backend;
  }

  /** A short-lived token of the service account (TokenRequest), for Vault's Kubernetes auth. */
  private async serviceAccountToken(namespace: string, serviceAccount: string, audience: string): Promise<string> {
    const response = await this.client.request<{ status?: { token?: string } }>({
      method: 'POST',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/${SERVICE_ACCOUNTS.plural}/${encodeURIComponent(serviceAccount)}/token`,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { audiences: [audience], expirationSeconds: 600 },
      }),
      resource: 'serviceaccounts/token',
    });
    const token = response.status?.token;
    if (!token) throw new SyncError('placeholders', `no token issued for service account ${namespace}/${serviceAccount}`);
    return token;
  }
}
