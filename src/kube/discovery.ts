// Which REST resource serves a given apiVersion and kind, from the API server's discovery documents.
// A group-version is read once and cached; a kind it does not list triggers one re-read, because a
// CRD applied a moment ago adds kinds the cached document does not know yet.
import { isNotFound } from './api-error.ts';
import type { KubeClient } from './client.ts';
import type { ResourceType } from './resource-types.ts';

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

interface ApiResourceList {
  resources?: ApiResource[];
}

export class ApiResources {
  private readonly client: KubeClient;
  private readonly byGroupVersion = new Map<string, Promise<ResourceType[]>>();

  constructor(client: KubeClient) {
    this.client = client;
  }

  /** The resource for apiVersion + kind, or undefined when the API server does not serve that kind. */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceType | undefined> {
    const cached = await this.load(apiVersion, false);
    const found = cached.find((type) => type.kind === kind);
    if (found) return found;
    return (await this.load(apiVersion, true)).find((type) => type.kind === kind);
  }

  private load(apiVersion: string, refresh: boolean): Promise<ResourceType[]> {
    let pending = refresh ? undefined : this.byGroupVersion.get(apiVersion);
    if (!pending) {
      pending = this.fetch(apiVersion);
      this.byGroupVersion.set(apiVersion, pending);
      pending.catch(() => this.byGroupVersion.delete(apiVersion));
    }
    return pending;
  }

  private async fetch(apiVersion: string): Promise<ResourceType[]> {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    try {
      const list = await this.client.request<ApiResourceList>({ method: 'GET', path, resource: 'discovery' });
      return (list.resources ?? [])
        .filter((resource) => !resource.name.includes('/'))
        .map((resource) => ({
          group: group ?? '',
          version: version ?? '',
          kind: resource.kind,
          plural: resource.name,
          namespaced: resource.namespaced,
        }));
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  }
}
