// The local router: Traefik with its Kubernetes CRD, Ingress and Gateway API providers pointed at the
// embedded API server, its HTTP entry point and its metrics each on a loopback port of their own.
// Pure: the static configuration, and the cluster objects that make Traefik the cluster's ingress
// and gateway implementation (IngressClass and GatewayClass "traefik", Gateway "local").
import { stringify } from 'yaml';
import type { KubeObject } from '../../kube/objects.ts';

export const ROUTER_NAMESPACE = 'wren-system';
export const ROUTER_SERVICE_ACCOUNT = 'wren-local-router';
export const ROUTER_CLASS = 'traefik';
export const LOCAL_GATEWAY = 'local';
export const GATEWAY_CONTROLLER = 'traefik.io/gateway-controller';
export const INGRESS_CONTROLLER = 'traefik.io/ingress-controller';

export interface RouterSettings {
  httpPort: number;
  metricsPort: number;
  apiServer: string;
  /** What the providers authenticate with: a ServiceAccount token and the cluster's CA file. */
  token: string;
  caFile: string;
}

export function routerStaticConfig(settings: RouterSettings): string {
  const kubernetes = { endpoint: settings.apiServer, token: settings.token, certAuthFilePath: settings.caFile };
  return stringify({
    entryPoints: {
      web: { address: `127.0.0.1:${settings.httpPort}` },
      metrics: { address: `127.0.0.1:${settings.metricsPort}` },
    },
    providers: {
      kubernetesCRD: { ...kubernetes, allowCrossNamespace: true },
      kubernetesIngress: { ...kubernetes, ingressClass: ROUTER_CLASS },
      kubernetesGateway: kubernetes,
    },
    metrics: {
      prometheus: {
        entryPoint: 'metrics',
        addEntryPointsLabels: true,
        addRoutersLabels: true,
        addServicesLabels: true,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      },
    },
    ping: { entryPoint: 'metrics' },
    log: { level: 'INFO' },
    global: { checkNewVersion: false, sendAnonymousUsage: false },
  });
}

/** The ServiceAccount Traefik reads the cluster as, with what Traefik's providers need to watch and report. */
export function routerAccess(): KubeObject[] {
  const labels = { 'app.kubernetes.io/name': 'wren-local-router' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ROUTER_NAMESPACE } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: ROUTER_SERVICE_ACCOUNT, namespace: ROUTER_NAMESPACE, labels } },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: `${ROUTER_SERVICE_ACCOUNT}-token`,
        namespace: ROUTER_NAMESPACE,
        labels,
        annotations: { 'kubernetes.io/service-account.name': ROUTER_SERVICE_ACCOUNT },
      },
      type: 'kubernetes.io/service-account-token',
    } as KubeObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'wren-local-router', labels },
      rules: [
        {
          apiGroups: [''],
          resources: ['services', 'endpoints', 'secrets', 'configmaps', 'namespaces', 'nodes', 'pods'],
          verbs: ['get', 'list', 'watch'],
        },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
        { apiGroups: ['traefik.io'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['gateway.networking.k8s.io'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['gateway.networking.k8s.io'], resources: ['*/status'], verbs: ['update', 'patch'] },
      ],
    } as KubeObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'wren-local-router', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'wren-local-router' },
      subjects: [{ kind: 'ServiceAccount', name: ROUTER_SERVICE_ACCOUNT, namespace: ROUTER_NAMESPACE }],
    } as KubeObject,
  ];
}

/** IngressClass and GatewayClass "traefik", and Gateway "local" listening on the router's HTTP port. */
export function routerClasses(httpPort: number): KubeObject[] {
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: ROUTER_CLASS },
      spec: { controller: INGRESS_CONTROLLER },
    } as KubeObject,
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: ROUTER_CLASS },
      spec: { controllerName: GATEWAY_CONTROLLER },
    } as KubeObject,
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: LOCAL_GATEWAY, namespace: ROUTER_NAMESPACE },
      spec: {
        gatewayClassName: ROUTER_CLASS,
        listeners: [{ name: 'web', protocol: 'HTTP', port: httpPort, allowedRoutes: { namespaces: { from: 'All' } } }],
      },
    } as KubeObject,
  ];
}
