// The three Services of a Canary: <svc> (what clients call; the router decides where it points),
// <svc>-primary and <svc>-canary (each selecting one side, for routers and for testing a side alone).
import type { CanarySpecType } from '../api/canary.ts';
import type { KubeObject } from '../kube/objects.ts';
import { canaryServiceName, primaryServiceName } from './naming.ts';
import { controllerReference, MANAGED_BY, MANAGED_BY_LABEL } from './owner.ts';
import type { PodTemplate } from './workload-types.ts';

export interface ServicePort {
  name: string;
  port: number;
  targetPort: number | string;
  protocol: string;
  appProtocol?: string;
}

export interface Service extends KubeObject {
  spec?: {
    selector?: Record<string, string>;
    ports?: ServicePort[];
    type?: string;
    clusterIP?: string;
    trafficDistribution?: string;
  };
}

export function apexServiceName(spec: CanarySpecType): string {
  return spec.service.name ?? spec.targetRef.name;
}

/** The Service ports: the canary's port, plus every other named container port with portDiscovery. */
export function servicePorts(spec: CanarySpecType, template: PodTemplate | undefined): ServicePort[] {
  const service = spec.service;
  const main: ServicePort = {
    name: service.portName ?? 'http',
    port: service.port,
    targetPort: service.targetPort ?? service.port,
    protocol: 'TCP',
    ...(service.appProtocol ? { appProtocol: service.appProtocol } : {}),
  };
  if (!service.portDiscovery) return [main];
  const discovered: ServicePort[] = [];
  for (const container of template?.spec?.containers ?? []) {
    for (const port of container.ports ?? []) {
      const taken = port.containerPort === main.port || port.containerPort === main.targetPort || port.name === main.targetPort;
      if (taken || port.protocol === 'UDP' || !port.name) continue;
      discovered.push({ name: port.name, port: port.containerPort, targetPort: port.containerPort, protocol: 'TCP' });
    }
  }
  return [main, ...discovered];
}

function service(
  canary: KubeObject,
  name: string,
  selector: Record<string, string>,
  ports: ServicePort[],
  overlay: { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined,
  options: { headless: boolean; trafficDistribution?: string },
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: canary.metadata?.namespace,
      labels: { ...(overlay?.labels ?? {}), [MANAGED_BY_LABEL]: MANAGED_BY },
      ...(overlay?.annotations ? { annotations: overlay.annotations } : {}),
      ownerReferences: [controllerReference(canary)],
    },
    spec: {
      type: 'ClusterIP',
      ...(options.headless ? { clusterIP: 'None' } : {}),
      ...(options.trafficDistribution ? { trafficDistribution: options.trafficDistribution } : {}),
      selector,
      ports,
    },
  };
}

export interface ServiceSelectors {
  apex: Record<string, string>;
  primary: Record<string, string>;
  canary: Record<string, string>;
}

export function buildServices(
  canary: KubeObject & { spec: CanarySpecType },
  selectors: ServiceSelectors,
  template: PodTemplate | undefined,
): Service[] {
  const spec = canary.spec;
  const name = apexServiceName(spec);
  const ports = servicePorts(spec, template);
  const options = { headless: false, trafficDistribution: spec.service.trafficDistribution };
  const sideOptions = { ...options, headless: spec.service.headless ?? false };
  return [
    service(canary, name, selectors.apex, ports, spec.service.apex, options),
    service(canary, primaryServiceName(name), selectors.primary, ports, spec.service.primary, sideOptions),
    service(canary, canaryServiceName(name), selectors.canary, ports, spec.service.canary, sideOptions),
  ];
}
