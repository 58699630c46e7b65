// ConfigMaps and Secrets a pod template uses, and the same template pointed at the primary's copies.
// Wren tracks these so that a config change releases as a canary just like an image change.
import type { Container, PodSpec } from './workload-types.ts';

export type ConfigKind = 'ConfigMap' | 'Secret';

export interface ConfigRef {
  kind: ConfigKind;
  name: string;
}

export const configKey = (ref: ConfigRef) => `${ref.kind === 'ConfigMap' ? 'configmap' : 'secret'}/${ref.name}`;

function containersOf(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** Every ConfigMap and Secret the pod spec reads, each once, in a stable order. */
export function referencedConfigs(spec: PodSpec): ConfigRef[] {
  const found = new Map<string, ConfigRef>();
  const add = (kind: ConfigKind, name: string | undefined) => {
    if (name) found.set(configKey({ kind, name }), { kind, name });
  };
  for (const volume of spec.volumes ?? []) {
    add('ConfigMap', volume.configMap?.name);
    add('Secret', volume.secret?.secretName);
    for (const source of volume.projected?.sources ?? []) {
      add('ConfigMap', source.configMap?.name);
      add('Secret', source.secret?.name);
    }
  }
  for (const container of containersOf(spec)) {
    for (const env of container.env ?? []) {
      add('ConfigMap', env.valueFrom?.configMapKeyRef?.name);
      add('Secret', env.valueFrom?.secretKeyRef?.name);
    }
    for (const source of container.envFrom ?? []) {
      add('ConfigMap', source.configMapRef?.name);
      add('Secret', source.secretRef?.name);
    }
  }
  return [...found.values()].sort((a, b) => configKey(a).localeCompare(configKey(b)));
}

/** A copy of the pod spec whose config references are renamed by `rename` (unchanged when it returns undefined). */
export function renameConfigRefs(spec: PodSpec, rename: (ref: ConfigRef) => string | undefined): PodSpec {
  const copy = structuredClone(spec);
  const renamed = (kind: ConfigKind, name: string | undefined) => (name ? (rename({ kind, name }) ?? name) : name);
  for (const volume of copy.volumes ?? []) {
    if (volume.configMap) volume.configMap.name = renamed('ConfigMap', volume.configMap.name);
    if (volume.secret) volume.secret.secretName = renamed('Secret', volume.secret.secretName);
    for (const source of volume.projected?.sources ?? []) {
      if (source.configMap) source.configMap.name = renamed('ConfigMap', source.configMap.name);
      if (source.secret) source.secret.name = renamed('Secret', source.secret.name);
    }
  }
  for (const container of containersOf(copy)) {
    for (const env of container.env ?? []) {
      const from = env.valueFrom;
      if (from?.configMapKeyRef) from.configMapKeyRef.name = renamed('ConfigMap', from.configMapKeyRef.name);
      if (from?.secretKeyRef) from.secretKeyRef.name = renamed('Secret', from.secretKeyRef.name);
    }
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef) source.configMapRef.name = renamed('ConfigMap', source.configMapRef.name);
      if (source.secretRef) source.secretRef.name = renamed('Secret', source.secretRef.name);
    }
  }
  return copy;
}
