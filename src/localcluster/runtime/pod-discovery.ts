// Pods as Prometheus' service discovery sees them. Debian's Prometheus is built without
// kubernetes_sd_configs, so the data plane serves the same thing over http_sd_configs: from its own
// watch of the API server, one target per container port (or per container without ports) with the
// labels kubernetes_sd_configs (role pod) gives, so the relabelling is exactly what users write for
// it. Pure.
import type { LocalPod } from './local-pod.ts';

export interface DiscoveryGroup {
  targets: string[];
  labels: Record<string, string>;
}

/** Prometheus label names are [a-zA-Z_][a-zA-Z0-9_]*: everything else becomes "_". */
const labelName = (text: string) => text.replace(/[^a-zA-Z0-9_]/g, '_');

export function podTargets(pods: readonly LocalPod[]): DiscoveryGroup[] {
  const groups: DiscoveryGroup[] = [];
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip || pod.metadata?.deletionTimestamp) continue;
    const ready = pod.status?.conditions?.find((condition) => condition.type === 'Ready')?.status === 'True';
    const podLabels: Record<string, string> = {
      __meta_kubernetes_namespace: pod.metadata?.namespace ?? '',
      __meta_kubernetes_pod_name: pod.metadata?.name ?? '',
      __meta_kubernetes_pod_ip: ip,
      __meta_kubernetes_pod_uid: pod.metadata?.uid ?? '',
      __meta_kubernetes_pod_node_name: pod.spec?.nodeName ?? '',
      __meta_kubernetes_pod_ready: String(ready),
      __meta_kubernetes_pod_phase: pod.status?.phase ?? '',
    };
    for (const [key, value] of Object.entries(pod.metadata?.labels ?? {})) {
      podLabels[`__meta_kubernetes_pod_label_${labelName(key)}`] = value;
      podLabels[`__meta_kubernetes_pod_labelpresent_${labelName(key)}`] = 'true';
    }
    for (const [key, value] of Object.entries(pod.metadata?.annotations ?? {})) {
      podLabels[`__meta_kubernetes_pod_annotation_${labelName(key)}`] = value;
      podLabels[`__meta_kubernetes_pod_annotationpresent_${labelName(key)}`] = 'true';
    }
    for (const container of pod.spec?.containers ?? []) {
      const containerLabels = {
        ...podLabels,
        __meta_kubernetes_pod_container_name: container.name,
        __meta_kubernetes_pod_container_image: String(container.image ?? ''),
      };
      const ports = container.ports ?? [];
      if (ports.length === 0) groups.push({ targets: [ip], labels: containerLabels });
      for (const port of ports) {
        groups.push({
          targets: [`${ip}:${port.containerPort}`],
          labels: {
            ...containerLabels,
            __meta_kubernetes_pod_container_port_number: String(port.containerPort),
            __meta_kubernetes_pod_container_port_protocol: port.protocol ?? 'TCP',
            ...(port.name ? { __meta_kubernetes_pod_container_port_name: port.name } : {}),
          },
        });
      }
    }
  }
  return groups;
}
