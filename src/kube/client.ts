// The Kubernetes REST client: typed reads and writes over one transport. Every write Wren makes to
// objects it owns goes through apply() (server-side apply, field manager "wren").
import { FIELD_MANAGER } from '../version.ts';
import { KubeApiError, type KubeStatus } from './api-error.ts';
import type { KubeObject, ObjectList } from './objects.ts';
import { collectionPath, objectPath, type ResourceType } from './resource-types.ts';
import type { KubeTransport, TransportRequest } from './transport.ts';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface ApplyOptions {
  force?: boolean;
  dryRun?: boolean;
  fieldManager?: string;
}

/** Called once per request with its verb and outcome; the operator feeds these to /metrics. */
export type RequestObserver = (verb: string, resource: string, statusCode: number, seconds: number) => void;

export class KubeClient {
  readonly transport: KubeTransport;
  /** Set on a client that acts as another user (see impersonating). */
  readonly impersonated: string | undefined;
  private observer: RequestObserver | undefined;

  constructor(transport: KubeTransport, impersonated?: string) {
    this.transport = transport;
    this.impersonated = impersonated;
  }

  observeRequests(observer: RequestObserver): void {
    this.observer = observer;
  }

  /**
   * The same connection acting as `user` (Impersonate-User): the API server then authorizes every
   * request as that user, e.g. "system:serviceaccount:team-a:deployer". Needs the impersonate verb.
   */
  impersonating(user: string): KubeClient {
    const client = new KubeClient(this.transport, user);
    client.observer = this.observer;
    return client;
  }

  async request<T>(request: TransportRequest & { resource?: string }): Promise<T> {
    const started = performance.now();
    let statusCode = 0;
    try {
      const headers = this.impersonated ? { ...request.headers, 'Impersonate-User': this.impersonated } : request.headers;
      const response = await this.transport.send(headers ? { ...request, headers } : request);
      statusCode = response.status;
      const text = await response.text();
      if (response.status >= 400) {
        throw new KubeApiError(request.method, request.path, response.status, parseStatus(text), text.slice(0, 500));
      }
      return (text ? JSON.parse(text) : undefined) as T;
    } finally {
      this.observer?.(request.method, request.resource ?? '', statusCode, (performance.now() - started) / 1000);
    }
  }

  get<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string): Promise<T> {
    return this.request<T>({ method: 'GET', path: objectPath(type, namespace, name), resource: type.plural });
  }

  list<T extends KubeObject>(type: ResourceType, namespace?: string, options: ListOptions = {}): Promise<ObjectList<T>> {
    return this.request<ObjectList<T>>({
      method: 'GET',
      path: collectionPath(type, namespace),
      query: { ...options },
      resource: type.plural,
    });
  }

  /** Every item, following continue tokens, and the list's resourceVersion to watch from. */
  async listAll<T extends KubeObject>(
    type: ResourceType,
    namespace?: string,
    options: Omit<ListOptions, 'continue'> = {},
  ): Promise<{ items: T[]; resourceVersion: string }> {
    const items: T[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.list<T>(type, namespace, { limit: 500, ...options, continue: continueToken });
      items.push(...page.items);
      continueToken = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (continueToken);
    return { items, resourceVersion };
  }

  create<T extends KubeObject>(type: ResourceType, object: T): Promise<T> {
    return this.request<T>({
      method: 'POST',
      path: collectionPath(type, object.metadata?.namespace),
      query: { fieldManager: FIELD_MANAGER },
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(object),
      resource: type.plural,
    });
  }

  replace<T extends KubeObject>(type: ResourceType, object: T, subresource = ''): Promise<T> {
    const path = objectPath(type, object.metadata?.namespace, object.metadata?.name ?? '') + subresourcePath(subresource);
    return this.request<T>({
      method: 'PUT',
      path,
      query: { fieldManager: FIELD_MANAGER },
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(object),
      resource: type.plural,
    });
  }

  /** Server-side apply: Wren owns exactly the fields it sends. */
  apply<T extends KubeObject>(type: ResourceType, object: KubeObject, options: ApplyOptions = {}, subresource = ''): Promise<T> {
    const name = object.metadata?.name;
    if (!name) throw new Error(`cannot apply a ${type.kind} without metadata.name`);
    return this.request<T>({
      method: 'PATCH',
      path: objectPath(type, object.metadata?.namespace, name) + subresourcePath(subresource),
      query: {
        fieldManager: options.fieldManager ?? FIELD_MANAGER,
        force: options.force ?? true,
        dryRun: options.dryRun ? 'All' : undefined,
      },
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: JSON.stringify({ apiVersion: object.apiVersion, kind: object.kind, ...object }),
      resource: type.plural,
    });
  }

  applyStatus<T extends KubeObject>(type: ResourceType, object: KubeObject, options: ApplyOptions = {}): Promise<T> {
    return this.apply<T>(type, object, options, 'status');
  }

  mergePatch<T extends KubeObject>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    subresource = '',
  ): Promise<T> {
    return this.request<T>({
      method: 'PATCH',
      path: objectPath(type, namespace, name) + subresourcePath(subresource),
      query: { fieldManager: FIELD_MANAGER },
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify(patch),
      resource: type.plural,
    });
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, propagationPolicy = 'Background'): Promise<unknown> {
    return this.request({
      method: 'DELETE',
      path: objectPath(type, namespace, name),
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ propagationPolicy }),
      resource: type.plural,
    });
  }
}

function subresourcePath(subresource: string): string {
  return subresource ? `/${subresource}` : '';
}

function parseStatus(text: string): KubeStatus | undefined {
  try {
    const parsed = JSON.parse(text) as KubeStatus;
    return parsed && parsed.kind === 'Status' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
