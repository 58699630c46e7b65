// Wires the canary engine into the operator: which caches it reads, which cache events wake which
// Canary, and the reconciler with its collaborators.
import type { AlertProvider } from '../api/alert-provider.ts';
import type { Canary } from '../api/canary.ts';
import type { ImagePolicy } from '../api/image-policy.ts';
import type { MetricTemplate } from '../api/metric-template.ts';
import { AlertSender } from '../alerts/alert-sender.ts';
import { loadBuiltinTemplates } from '../analysis/builtin-templates.ts';
import { CredentialStore } from '../analysis/credentials.ts';
import { TemplateMetricChecker } from '../analysis/metric-checker.ts';
import { CanaryAnalyzer } from '../analysis/analyzer.ts';
import { SecretWebhookTokens } from '../analysis/webhook-token.ts';
import { RecentApplies } from '../kube/apply-if-changed.ts';
import type { KubeClient } from '../kube/client.ts';
import { Controller } from '../kube/controller.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { CacheShape, Informer } from '../kube/informer.ts';
import { RELEASES_SECRET_TYPE } from '../workload/release-store.ts';
import { keyOf, type KubeObject } from '../kube/objects.ts';
import {
  ALERT_PROVIDERS,
  CANARIES,
  METRIC_TEMPLATES,
  CONFIG_MAPS,
  DEPLOYMENTS,
  HORIZONTAL_POD_AUTOSCALERS,
  IMAGE_POLICIES,
  SECRETS,
  SERVICES,
  type ResourceType,
} from '../kube/resource-types.ts';
import type { Logger } from '../log.ts';
import { RouterRegistry } from '../routing/registry.ts';
import { ServiceApplier } from '../routing/service-applier.ts';
import type { OperatorMetrics } from '../server/metrics.ts';
import type { CanaryCaches } from '../workload/caches.ts';
import { dataChecksumOnly, type ConfigObject } from '../workload/config-copies.ts';
import { referencedConfigs } from '../workload/config-refs.ts';
import { WorkloadApplier } from '../workload/workload-applier.ts';
import type { Deployment } from '../workload/workload-types.ts';
import type { Analyzer } from './analysis-seam.ts';
import { CanaryMetrics } from './canary-metrics.ts';
import { CanaryReconciler } from './reconciler.ts';

export interface CanarySetupContext {
  client: KubeClient;
  events: EventRecorder;
  metrics: OperatorMetrics;
  log: Logger;
  workers: number;
  defaultProvider: string;
  metricsServer?: string;
  ingressAnnotationsPrefix?: string;
  informerFor<T extends KubeObject>(type: ResourceType, shape?: CacheShape): Informer<T>;
  /** A watch cache started now, while the operator runs; not part of readiness (its CRD may be missing). */
  startInformer<T extends KubeObject>(type: ResourceType): Informer<T>;
  analyzer?: Analyzer;
}

/**
 * Secrets no decision reads from the cache, left out of its list and watch: the primaries' release
 * Secrets (read with a GET when a release is put back) and Helm's release records (one per Helm
 * release revision, often the largest Secrets in a cluster; no pod reads them).
 */
const UNCACHED_SECRET_TYPES = `type!=${RELEASES_SECRET_TYPE},type!=helm.sh/release.v1`;

const TARGET_INDEX = 'target';
const AUTOSCALER_INDEX = 'autoscaler';
const CONFIG_INDEX = 'configs';
const TEMPLATE_INDEX = 'metricTemplates';

const nsName = (namespace: string | undefined, name: string) => `${namespace}/${name}`;

/** Keys of the Canaries that own an object (generated primaries, Services, copies, HPAs). */
function ownerCanaries(object: KubeObject): string[] {
  return (object.metadata?.ownerReferences ?? [])
    .filter((owner) => owner.kind === 'Canary' && owner.apiVersion.startsWith('wren.dev/'))
    .map((owner) => nsName(object.metadata?.namespace, owner.name));
}

export function createCanaryController(context: CanarySetupContext): Controller {
  const caches: CanaryCaches = {
    canaries: context.informerFor<Canary>(CANARIES),
    deployments: context.informerFor<Deployment>(DEPLOYMENTS),
    services: context.informerFor(SERVICES),
    configMaps: context.informerFor<ConfigObject>(CONFIG_MAPS, { transform: dataChecksumOnly }),
    secrets: context.informerFor<ConfigObject>(SECRETS, { transform: dataChecksumOnly, fieldSelector: UNCACHED_SECRET_TYPES }),
    autoscalers: context.informerFor(HORIZONTAL_POD_AUTOSCALERS),
    imagePolicies: context.informerFor<ImagePolicy>(IMAGE_POLICIES),
  };
  caches.canaries.addIndex(TARGET_INDEX, (canary) => [nsName(canary.metadata?.namespace, canary.spec?.targetRef?.name ?? '')]);
  caches.canaries.addIndex(AUTOSCALER_INDEX, (canary) =>
    canary.spec?.autoscalerRef ? [nsName(canary.metadata?.namespace, canary.spec.autoscalerRef.name)] : [],
  );
  caches.canaries.addIndex(TEMPLATE_INDEX, (canary) =>
    (canary.spec?.analysis?.metrics ?? []).flatMap((metric) =>
      metric.templateRef ? [nsName(metric.templateRef.namespace ?? canary.metadata?.namespace, metric.templateRef.name)] : [],
    ),
  );
  caches.deployments.addIndex(CONFIG_INDEX, (deployment) =>
    referencedConfigs(deployment.spec?.template?.spec ?? {}).map((ref) =>
      nsName(deployment.metadata?.namespace, `${ref.kind}/${ref.name}`),
    ),
  );

  const templates = context.informerFor<MetricTemplate>(METRIC_TEMPLATES);
  const alertProviders = context.informerFor<AlertProvider>(ALERT_PROVIDERS);
  const credentials = new CredentialStore(context.client, caches.secrets);
  const analyzer =
    context.analyzer ??
    new CanaryAnalyzer(
      new TemplateMetricChecker({
        templates,
        credentials,
        builtins: loadBuiltinTemplates(),
        defaultProvider: context.defaultProvider,
        ...(context.metricsServer ? { defaultMetricsServer: context.metricsServer } : {}),
      }),
      context.log,
      new SecretWebhookTokens(credentials),
    );
  const recent = new RecentApplies();
  const services = new ServiceApplier(context.client, caches, recent);
  // Routing objects are watched from the first Canary that uses their provider on.
  let controller: Controller | undefined;
  const startRouteWatch = <T extends KubeObject>(type: ResourceType) => {
    const informer = context.startInformer<T>(type);
    controller?.watch(informer, ownerCanaries);
    return informer;
  };
  const reconciler = new CanaryReconciler({
    client: context.client,
    caches,
    routers: new RouterRegistry(services, context.client, recent, startRouteWatch, {
      ...(context.ingressAnnotationsPrefix ? { ingressAnnotationsPrefix: context.ingressAnnotationsPrefix } : {}),
    }),
    workloads: new WorkloadApplier(context.client, caches, recent),
    analyzer,
    alerts: new AlertSender(context.client, alertProviders, context.log),
    events: context.events,
    metrics: new CanaryMetrics(context.metrics.registry),
    defaultProvider: context.defaultProvider,
    metricTemplate: (namespace, name) => templates.get(nsName(namespace, name)),
  });
  controller = new Controller(reconciler, { workers: context.workers, metrics: context.metrics, log: context.log });
  const canaries = controller;
  reconciler.requeue = (key) => canaries.enqueue(key);

  const targeting = (namespace: string | undefined, name: string) =>
    caches.canaries.byIndex(TARGET_INDEX, nsName(namespace, name)).map((canary) => keyOf(canary));
  controller.watch(caches.canaries);
  controller.watch(caches.deployments, (deployment) => [
    ...targeting(deployment.metadata?.namespace, deployment.metadata?.name ?? ''),
    ...ownerCanaries(deployment),
  ]);
  controller.watch(caches.services, ownerCanaries);
  const configWatcher = (kind: 'ConfigMap' | 'Secret') => (config: KubeObject) => [
    ...ownerCanaries(config),
    ...caches.deployments
      .byIndex(CONFIG_INDEX, nsName(config.metadata?.namespace, `${kind}/${config.metadata?.name}`))
      .flatMap((deployment) => targeting(deployment.metadata?.namespace, deployment.metadata?.name ?? '')),
  ];
  controller.watch(caches.configMaps, configWatcher('ConfigMap'));
  controller.watch(caches.secrets, configWatcher('Secret'));
  // A template that changes may make the Canaries that use it valid or invalid.
  controller.watch(templates, (template) => caches.canaries.byIndex(TEMPLATE_INDEX, keyOf(template)).map(keyOf));
  controller.watch(caches.autoscalers, (autoscaler) => [
    ...ownerCanaries(autoscaler),
    ...caches.canaries.byIndex(AUTOSCALER_INDEX, nsName(autoscaler.metadata?.namespace, autoscaler.metadata?.name ?? '')).map(keyOf),
  ]);
  return controller;
}
