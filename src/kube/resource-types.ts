// REST coordinates of the kinds Wren reads and writes.
import { API_VERSION_NAME, GROUP } from '../api/group.ts';
import { WREN_KINDS } from '../api/kinds.ts';

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

export function collectionPath(type: ResourceType, namespace?: string): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  if (type.namespaced && namespace) return `${base}/namespaces/${encodeURIComponent(namespace)}/${type.plural}`;
  return `${base}/${type.plural}`;
}

export function objectPath(type: ResourceType, namespace: string | undefined, name: string): string {
  return `${collectionPath(type, namespace)}/${encodeURIComponent(name)}`;
}

const core = (kind: string, plural: string, namespaced = true): ResourceType => ({
  group: '',
  version: 'v1',
  kind,
  plural,
  namespaced,
});

export const NAMESPACES = core('Namespace', 'namespaces', false);
export const NODES = core('Node', 'nodes', false);
export const PODS = core('Pod', 'pods');
export const SERVICES = core('Service', 'services');
export const CONFIG_MAPS = core('ConfigMap', 'configmaps');
export const SECRETS = core('Secret', 'secrets');
export const SERVICE_ACCOUNTS = core('ServiceAccount', 'serviceaccounts');
export const EVENTS = core('Event', 'events');
export const DEPLOYMENTS: ResourceType = { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true };
export const LEASES: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
};
export const CUSTOM_RESOURCE_DEFINITIONS: ResourceType = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
};

const wrenType = (kind: string): ResourceType => {
  const definition = WREN_KINDS.find((candidate) => candidate.kind === kind);
  if (!definition) throw new Error(`unknown Wren kind ${kind}`);
  return { group: GROUP, version: API_VERSION_NAME, kind, plural: definition.plural, namespaced: true };
};

export const CANARIES = wrenType('Canary');
export const METRIC_TEMPLATES = wrenType('MetricTemplate');
export const ALERT_PROVIDERS = wrenType('AlertProvider');
export const GIT_SYNCS = wrenType('GitSync');
export const IMAGE_POLICIES = wrenType('ImagePolicy');
export const WREN_RESOURCE_TYPES: readonly ResourceType[] = [CANARIES, METRIC_TEMPLATES, ALERT_PROVIDERS, GIT_SYNCS, IMAGE_POLICIES];

export const HORIZONTAL_POD_AUTOSCALERS: ResourceType = {
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  namespaced: true,
};
