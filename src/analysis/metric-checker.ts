// Runs one metric check of a Canary: finds its template (a templateRef, an inline query, or the
// built-in one for the Canary's provider), renders the query, asks the provider, judges the value.
// Every failure becomes a failed check that says what went wrong; nothing here throws.
import type { Canary } from '../api/canary.ts';
import { parseDuration } from '../api/duration.ts';
import type { MetricTemplate } from '../api/metric-template.ts';
import { normalizeProvider } from '../api/providers.ts';
import type { CheckResult, StepContext } from '../canary/analysis-seam.ts';
import type { Informer } from '../kube/informer.ts';
import { builtinTemplateName } from './builtin-templates.ts';
import { judgeValue } from './check-verdict.ts';
import type { CredentialStore } from './credentials.ts';
import type { MetricChecker } from './analyzer.ts';
import { credentialLeak } from './credential-scope.ts';
import type { MetricProvider } from './providers/metric-provider.ts';
import { ProviderUnreachableError, UNREACHABLE } from './providers/unreachable.ts';
import { ServerBackoff } from './server-backoff.ts';
import type { ProviderEndpoint } from './providers/provider-request.ts';
import { metricProviderFor } from './providers/registry.ts';
import { renderTemplate, TemplateError, type TemplateVariables } from './query-template.ts';
import { compareWithPrimary } from './comparison/compare-with-primary.ts';
import { comparisonProblem } from './comparison/comparison-queries.ts';
import { comparisonWindow } from './comparison/window.ts';
import { defaultAddressOf } from './providers/service-defaults.ts';

type Metric = NonNullable<Canary['spec']['analysis']['metrics']>[number];

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_INTERVAL = '1m';

export interface MetricCheckerOptions {
  templates: Informer<MetricTemplate>;
  credentials: CredentialStore;
  builtins: ReadonlyMap<string, MetricTemplate>;
  defaultProvider: string;
  /** Prometheus for templates without an address and Canaries without spec.metricsServer. */
  defaultMetricsServer?: string;
  /** Shared per-server backoff; one per operator. */
  servers?: ServerBackoff;
  /** The clock of comparison windows. */
  now?: () => Date;
}

export function templateVariables(canary: Canary, metric: Metric): TemplateVariables {
  const spec = canary.spec;
  return {
    name: canary.metadata?.name ?? '',
    namespace: canary.metadata?.namespace ?? '',
    target: spec.targetRef.name,
    service: spec.service.name ?? spec.targetRef.name,
    ...(spec.ingressRef ? { ingress: spec.ingressRef.name } : {}),
    interval: metric.interval ?? DEFAULT_INTERVAL,
    variables: metric.templateVariables ?? {},
  };
}

function templateName(template: MetricTemplate): string {
  return `MetricTemplate ${template.metadata?.namespace ?? ''}/${template.metadata?.name ?? ''}`;
}

function failedCheck(metric: Metric, reason: string, message: string, query?: string): CheckResult {
  return { name: metric.name, kind: 'metric', passed: false, reason, message, ...(query ? { query } : {}) };
}

export class TemplateMetricChecker implements MetricChecker {
  private readonly options: MetricCheckerOptions;
  private readonly servers: ServerBackoff;
  private readonly now: () => Date;

  constructor(options: MetricCheckerOptions) {
    this.options = options;
    this.servers = options.servers ?? new ServerBackoff();
    this.now = options.now ?? (() => new Date());
  }

  async check(canary: Canary, metric: Metric, _step: StepContext): Promise<CheckResult> {
    const failed = (reason: string, message: string, query?: string) => failedCheck(metric, reason, message, query);
    const template = this.templateFor(canary, metric);
    if (typeof template === 'string') return failed('TemplateNotFound', template);
    const provider = metricProviderFor(template.spec.provider.type);
    if (typeof provider === 'string') return failed('ProviderUnavailable', `${templateName(template)}: ${provider}`);
    if (metric.compareTo === 'primary') return this.compare(canary, metric, template, provider);
    const variables = templateVariables(canary, metric);
    let query: string;
    try {
      query = renderTemplate(template.spec.query ?? '', variables);
    } catch (error) {
      return failed('InvalidTemplate', (error as Error).message);
    }
    let endpoint: ProviderEndpoint;
    try {
      endpoint = await this.endpointFor(canary, template, provider, metric);
    } catch (error) {
      return failed('ProviderUnavailable', (error as Error).message, query);
    }
    try {
      const value = await this.servers.call(endpoint.address, () => provider.query(endpoint, { query, spec: template.spec, variables }));
      const judged = judgeValue(metric, value, query || endpoint.address);
      return judged.reason === 'NoData' ? this.gapAfterOutage(judged, endpoint.address, metric) : judged;
    } catch (error) {
      if (error instanceof ProviderUnreachableError) return failed(UNREACHABLE, error.message, query);
      return failed('QueryFailed', (error as Error).message, query);
    }
  }

  /** A check relative to the primary over the run so far (src/analysis/comparison/). */
  private async compare(canary: Canary, metric: Metric, template: MetricTemplate, provider: MetricProvider): Promise<CheckResult> {
    const problem = comparisonProblem(template.spec.comparison);
    if (problem) return failedCheck(metric, 'InvalidTemplate', `${templateName(template)}: ${problem}`);
    let endpoint: ProviderEndpoint;
    try {
      endpoint = await this.endpointFor(canary, template, provider, metric);
    } catch (error) {
      return failedCheck(metric, 'ProviderUnavailable', (error as Error).message);
    }
    const window = comparisonWindow(canary.status?.runStartedAt, this.now(), metric.interval ?? DEFAULT_INTERVAL);
    try {
      return await compareWithPrimary({
        metric,
        template,
        provider,
        endpoint,
        variables: { ...templateVariables(canary, metric), interval: window },
        ask: (question) => this.servers.call(endpoint.address, question),
      });
    } catch (error) {
      if (error instanceof TemplateError) return failedCheck(metric, 'InvalidTemplate', error.message);
      if (error instanceof ProviderUnreachableError) return failedCheck(metric, UNREACHABLE, error.message);
      return failedCheck(metric, 'QueryFailed', (error as Error).message);
    }
  }

  /**
   * No data from a server that was down within the metric's window is the outage's gap, not the
   * canary's silence: the step keeps waiting as it did while the server was away.
   */
  private gapAfterOutage(noData: CheckResult, address: string, metric: Metric): CheckResult {
    const window = metric.interval ?? DEFAULT_INTERVAL;
    const since = this.servers.recoveredWithin(address, parseDuration(window) ?? 60_000);
    if (since === undefined) return noData;
    const message = `${ServerBackoff.serverOf(address)} answers again after an outage, but its ${window} window still spans the gap`;
    return { ...noData, reason: UNREACHABLE, message };
  }

  async offline(canary: Canary, metric: Metric): Promise<string | undefined> {
    const template = this.templateFor(canary, metric);
    if (typeof template === 'string') return template;
    // A template without a known provider fails its checks, saying so; it is not an offline server.
    const provider = metricProviderFor(template.spec.provider.type);
    if (typeof provider === 'string' || !provider.isOnline) return undefined;
    const isOnline = provider.isOnline.bind(provider);
    try {
      const endpoint = await this.endpointFor(canary, template, provider, metric);
      await this.servers.call(endpoint.address, () => isOnline(endpoint));
      return undefined;
    } catch (error) {
      if (error instanceof ProviderUnreachableError) return `metrics server for "${metric.name}" is not reachable: ${error.message}`;
      return (error as Error).message;
    }
  }

  /** The template to use, or why there is none. */
  private templateFor(canary: Canary, metric: Metric): MetricTemplate | string {
    const namespace = canary.metadata?.namespace ?? '';
    if (metric.templateRef) {
      const refNamespace = metric.templateRef.namespace ?? namespace;
      const found = this.options.templates.get(`${refNamespace}/${metric.templateRef.name}`);
      return found ?? `MetricTemplate ${refNamespace}/${metric.templateRef.name} (templateRef of "${metric.name}") does not exist`;
    }
    if (metric.query) {
      return {
        apiVersion: 'wren.dev/v1alpha1',
        kind: 'MetricTemplate',
        metadata: { name: metric.name, namespace },
        spec: { provider: { type: 'prometheus' }, query: metric.query },
      };
    }
    const provider = normalizeProvider(canary.spec.provider ?? this.options.defaultProvider) ?? 'kubernetes';
    return (
      this.options.builtins.get(builtinTemplateName(metric.name, provider)) ??
      `there is no built-in "${metric.name}" for the ${provider} provider`
    );
  }

  private async endpointFor(
    canary: Canary,
    template: MetricTemplate,
    metricProvider: MetricProvider,
    metric: Metric,
  ): Promise<ProviderEndpoint> {
    const provider = template.spec.provider;
    const rawAddress =
      provider.address ?? defaultAddressOf(provider.type) ?? canary.spec.metricsServer ?? this.options.defaultMetricsServer;
    if (!rawAddress)
      throw new Error('no metrics server: set spec.metricsServer on the Canary, an address on the template, or --metrics-server');
    const address = metricProvider.templatedAddress ? renderTemplate(rawAddress, templateVariables(canary, metric)) : rawAddress;
    const secretNamespace = template.metadata?.namespace ?? canary.metadata?.namespace ?? '';
    const leak = credentialLeak(provider);
    if (leak) throw new Error(`MetricTemplate ${secretNamespace}/${template.metadata?.name}: ${leak}`);
    return {
      address,
      headers: provider.headers ?? {},
      insecureSkipVerify: provider.insecureSkipVerify ?? false,
      timeoutMs: (provider.timeout && parseDuration(provider.timeout)) || DEFAULT_TIMEOUT_MS,
      ...(provider.secretRef ? { credentials: await this.options.credentials.get(secretNamespace, provider.secretRef.name) } : {}),
    };
  }
}
