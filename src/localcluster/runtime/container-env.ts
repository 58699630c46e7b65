// A container's environment as a kubelet builds it: the image's variables, then envFrom, then env in
// order (values, ConfigMap and Secret keys, the downward API fields users actually use), with $(VAR)
// references to earlier variables expanded. Pure: the caller has read the ConfigMaps and Secrets.
import type { Container } from '../../workload/workload-types.ts';

export interface PodFacts {
  name: string;
  namespace: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  nodeName: string;
  serviceAccountName: string;
  podIP: string;
  hostIP: string;
}

/** Data of the ConfigMaps and Secrets the pod reads (Secret values decoded); undefined: it does not exist. */
export interface ConfigSources {
  configMaps: ReadonlyMap<string, Record<string, string> | undefined>;
  secrets: ReadonlyMap<string, Record<string, string> | undefined>;
}

export class ContainerConfigError extends Error {}

interface KeyRef {
  name?: string;
  key: string;
  optional?: boolean;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: KeyRef;
    secretKeyRef?: KeyRef;
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: unknown;
  };
}

interface EnvFrom {
  prefix?: string;
  configMapRef?: { name?: string; optional?: boolean };
  secretRef?: { name?: string; optional?: boolean };
}

function fieldValue(path: string, pod: PodFacts): string {
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (keyed) return (keyed[1] === 'labels' ? pod.labels : pod.annotations)[keyed[2] as string] ?? '';
  const fields: Record<string, string> = {
    'metadata.name': pod.name,
    'metadata.namespace': pod.namespace,
    'metadata.uid': pod.uid,
    'spec.nodeName': pod.nodeName,
    'spec.serviceAccountName': pod.serviceAccountName,
    'status.podIP': pod.podIP,
    'status.podIPs': pod.podIP,
    'status.hostIP': pod.hostIP,
    'status.hostIPs': pod.hostIP,
  };
  const value = fields[path];
  if (value === undefined) throw new ContainerConfigError(`fieldRef ${path} is not supported by the local runtime`);
  return value;
}

function keyOf(kind: 'ConfigMap' | 'Secret', ref: KeyRef, sources: ConfigSources, variable: string): string | undefined {
  const data = (kind === 'ConfigMap' ? sources.configMaps : sources.secrets).get(ref.name ?? '');
  if (data === undefined) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`${kind.toLowerCase()} "${ref.name}" not found (env ${variable})`);
  }
  const value = data[ref.key];
  if (value === undefined && !ref.optional) {
    throw new ContainerConfigError(`couldn't find key ${ref.key} in ${kind} ${ref.name} (env ${variable})`);
  }
  return value;
}

/** $(NAME) becomes an earlier variable's value; $$(NAME) stays literally $(NAME); unknown names stay as written. */
export function expandReferences(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && env[name] !== undefined ? env[name] : match;
  });
}

/** The environment the container's process gets; throws ContainerConfigError, as a kubelet reports CreateContainerConfigError. */
export function containerEnv(
  container: Container,
  pod: PodFacts,
  sources: ConfigSources,
  imageEnv: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = { ...imageEnv, HOSTNAME: pod.name };
  for (const from of (container.envFrom ?? []) as EnvFrom[]) {
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const ref = from.configMapRef ?? from.secretRef;
    const data = (kind === 'ConfigMap' ? sources.configMaps : sources.secrets).get(ref?.name ?? '');
    if (data === undefined) {
      if (ref?.optional) continue;
      throw new ContainerConfigError(`${kind.toLowerCase()} "${ref?.name}" not found (envFrom)`);
    }
    for (const [key, value] of Object.entries(data)) env[`${from.prefix ?? ''}${key}`] = value;
  }
  for (const variable of (container.env ?? []) as EnvVar[]) {
    const from = variable.valueFrom;
    let value: string | undefined;
    if (from?.configMapKeyRef) value = keyOf('ConfigMap', from.configMapKeyRef, sources, variable.name);
    else if (from?.secretKeyRef) value = keyOf('Secret', from.secretKeyRef, sources, variable.name);
    else if (from?.fieldRef) value = fieldValue(from.fieldRef.fieldPath, pod);
    else if (from?.resourceFieldRef)
      throw new ContainerConfigError(`env ${variable.name}: resourceFieldRef is not supported by the local runtime`);
    else value = expandReferences(variable.value ?? '', env);
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}

/** The ConfigMaps and Secrets a container's environment reads, to fetch before containerEnv. */
export function envSources(container: Container): { configMaps: string[]; secrets: string[] } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const from of (container.envFrom ?? []) as EnvFrom[]) {
    if (from.configMapRef?.name) configMaps.add(from.configMapRef.name);
    if (from.secretRef?.name) secrets.add(from.secretRef.name);
  }
  for (const variable of (container.env ?? []) as EnvVar[]) {
    if (variable.valueFrom?.configMapKeyRef?.name) configMaps.add(variable.valueFrom.configMapKeyRef.name);
    if (variable.valueFrom?.secretKeyRef?.name) secrets.add(variable.valueFrom.secretKeyRef.name);
  }
  return { configMaps: [...configMaps], secrets: [...secrets] };
}
