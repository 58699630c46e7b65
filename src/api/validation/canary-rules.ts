// What a Canary's schema cannot say: rules across fields. Each problem names the field to fix.
import type { CanarySpecType } from '../canary.ts';
import {
  BUILTIN_COMPARISON_PROVIDERS,
  BUILTIN_METRICS,
  BUILTIN_TEMPLATE_PROVIDERS,
  PROVIDER_CAPABILITIES,
  TRAFFIC_PROVIDERS,
  normalizeProvider,
} from '../providers.ts';
import { quoted, type FieldProblem } from './field-problem.ts';
import { redactUrl } from '../../gitsync/source/repository-url.ts';
import { compileCondition } from '../../analysis/expressions.ts';
import type { TrafficProvider } from '../providers.ts';
import type { Canary } from '../canary.ts';
import type { MetricTemplate } from '../metric-template.ts';
import { credentialLeak } from '../../analysis/credential-scope.ts';
import { describeUnknown, TEMPLATE_VARIABLES, unknownPlaceholders } from '../../analysis/query-template.ts';

export function canaryProblems(spec: CanarySpecType, defaultProvider = 'kubernetes'): FieldProblem[] {
  return [
    ...providerProblems(spec, defaultProvider),
    ...scheduleProblems(spec),
    ...metricProblems(spec, normalizeProvider(spec.provider ?? defaultProvider)),
    ...webhookProblems(spec),
    ...autoscalerProblems(spec),
    ...targetProblems(spec),
  ];
}

function targetProblems(spec: CanarySpecType): FieldProblem[] {
  if (spec.targetRef.kind === 'Deployment') return [];
  return [{ field: 'spec.targetRef.kind', message: `${quoted(spec.targetRef.kind)} targets are not supported yet; use a Deployment` }];
}

function providerProblems(spec: CanarySpecType, defaultProvider: string): FieldProblem[] {
  const name = spec.provider ?? defaultProvider;
  const provider = normalizeProvider(name);
  if (!provider) {
    return [{ field: 'spec.provider', message: `unknown provider ${quoted(name)}; supported: ${TRAFFIC_PROVIDERS.join(', ')}` }];
  }
  const problems: FieldProblem[] = [];
  if (provider === 'nginx' && !spec.ingressRef) {
    problems.push({ field: 'spec.ingressRef', message: 'is required by the nginx provider' });
  }
  if (provider === 'gatewayapi' && !spec.service.gatewayRefs?.length) {
    problems.push({ field: 'spec.service.gatewayRefs', message: 'is required by the gatewayapi provider' });
  }
  const affinity = spec.analysis.sessionAffinity;
  if (provider === 'traefik' && affinity) {
    // Traefik pins a session with its weighted service's one sticky cookie, for either version.
    if (affinity.primaryCookieName !== undefined) {
      problems.push({
        field: 'spec.analysis.sessionAffinity.primaryCookieName',
        message: 'the traefik provider pins both versions with the one cookie of cookieName; leave primaryCookieName unset',
      });
    }
    if (affinity.partitioned !== undefined) {
      problems.push({ field: 'spec.analysis.sessionAffinity.partitioned', message: "is not an attribute of Traefik's sticky cookie" });
    }
  }
  return [...problems, ...capabilityProblems(spec, name, PROVIDER_CAPABILITIES[provider])];
}

function capabilityProblems(
  spec: CanarySpecType,
  provider: string,
  can: (typeof PROVIDER_CAPABILITIES)[keyof typeof PROVIDER_CAPABILITIES],
): FieldProblem[] {
  const analysis = spec.analysis;
  const cannot = (field: string, what: string) => ({
    field,
    message: `the ${provider} provider (spec.provider) cannot ${what}`,
  });
  const problems: FieldProblem[] = [];
  if (!can.weights) {
    if (analysis.stepWeight !== undefined)
      problems.push(cannot('spec.analysis.stepWeight', 'split traffic by weight; use iterations (blue/green)'));
    if (analysis.stepWeights !== undefined)
      problems.push(cannot('spec.analysis.stepWeights', 'split traffic by weight; use iterations (blue/green)'));
    analysis.steps?.forEach((step, index) => {
      if (step.setWeight !== undefined && step.setWeight !== 0 && step.setWeight !== 100) {
        problems.push(cannot(`spec.analysis.steps[${index}].setWeight`, 'split traffic by weight; use 0 or 100'));
      }
    });
  }
  if (!can.requestMatch && analysis.match?.length) problems.push(cannot('spec.analysis.match', 'route by header or cookie (A/B testing)'));
  if (!can.mirror && analysis.mirror) problems.push(cannot('spec.analysis.mirror', 'mirror traffic'));
  if (!can.sessionAffinity && analysis.sessionAffinity) problems.push(cannot('spec.analysis.sessionAffinity', 'pin sessions'));
  return problems;
}

function scheduleProblems(spec: CanarySpecType): FieldProblem[] {
  const analysis = spec.analysis;
  const problems: FieldProblem[] = [];
  const strategies = (['iterations', 'stepWeight', 'stepWeights', 'steps'] as const).filter((field) => analysis[field] !== undefined);
  if (strategies.length === 0) {
    problems.push({ field: 'spec.analysis', message: 'set one of iterations (blue/green, A/B), stepWeight, stepWeights or steps' });
  } else if (strategies.length > 1) {
    const [first, second] = strategies;
    problems.push({ field: `spec.analysis.${second}`, message: `cannot be combined with spec.analysis.${first}` });
  }
  const maxWeight = analysis.maxWeight ?? 100;
  if (analysis.stepWeight !== undefined && analysis.stepWeight > maxWeight) {
    problems.push({
      field: 'spec.analysis.stepWeight',
      message: `${analysis.stepWeight} is larger than spec.analysis.maxWeight (${maxWeight})`,
    });
  }
  analysis.stepWeights?.forEach((weight, index, weights) => {
    const previous = weights[index - 1];
    if (previous !== undefined && weight <= previous) {
      problems.push({
        field: `spec.analysis.stepWeights[${index}]`,
        message: `${weight} must be larger than the step before (${previous})`,
      });
    }
  });
  if (analysis.maxWeight !== undefined && analysis.stepWeights) {
    problems.push({ field: 'spec.analysis.maxWeight', message: 'has no effect with stepWeights; the last step weight is the maximum' });
  }
  analysis.steps?.forEach((step, index) => {
    if ((step.setWeight === undefined) === (step.pause === undefined)) {
      problems.push({ field: `spec.analysis.steps[${index}]`, message: 'set exactly one of setWeight or pause' });
    }
  });
  if (analysis.match?.length && analysis.iterations === undefined) {
    problems.push({ field: 'spec.analysis.match', message: 'A/B testing needs spec.analysis.iterations' });
  }
  if (analysis.mirror && (analysis.stepWeight || analysis.stepWeights || analysis.steps || analysis.match?.length)) {
    problems.push({
      field: 'spec.analysis.mirror',
      message: 'mirroring is for blue/green runs: use spec.analysis.iterations without weights or match',
    });
  }
  if (analysis.mirrorWeight !== undefined && !analysis.mirror) {
    problems.push({ field: 'spec.analysis.mirrorWeight', message: 'needs spec.analysis.mirror: true' });
  }
  return problems;
}

/** Problems for every entry whose name an earlier entry already used. */
function duplicateNames(items: readonly { name: string }[] | undefined, list: string, what: string): FieldProblem[] {
  const seen = new Set<string>();
  return (items ?? []).flatMap((item, index) => {
    const duplicate = seen.has(item.name);
    seen.add(item.name);
    return duplicate ? [{ field: `${list}[${index}].name`, message: `duplicate ${what} name ${quoted(item.name)}` }] : [];
  });
}

type MetricSpec = NonNullable<CanarySpecType['analysis']['metrics']>[number];

/** A comparison with the primary replaces the fixed range, and needs a template with spec.comparison. */
function comparisonProblems(
  metric: MetricSpec,
  field: string,
  builtin: boolean,
  provider: TrafficProvider | undefined,
  hasCheck: boolean,
): FieldProblem[] {
  if (metric.compareTo === undefined) {
    return metric.comparison ? [{ field: `${field}.comparison`, message: 'has no effect without compareTo: primary' }] : [];
  }
  const problems: FieldProblem[] = [];
  if (hasCheck) {
    problems.push({
      field: `${field}.compareTo`,
      message: 'cannot be combined with thresholdRange, threshold or conditions: the primary is the threshold',
    });
  }
  if (metric.query) {
    problems.push({
      field: `${field}.compareTo`,
      message: 'needs a templateRef to a MetricTemplate with spec.comparison; an inline query has none',
    });
  }
  // An error rate is never proven no worse than 0 points: the bounds always leave room above it.
  if (metric.comparison?.promoteWhenProven && metric.name === 'request-success-rate' && !metric.comparison.maxIncrease) {
    problems.push({
      field: `${field}.comparison.maxIncrease`,
      message: 'promoteWhenProven needs a maxIncrease above 0 points: no error rate is ever proven no worse than 0',
    });
  }
  if (builtin && !metric.templateRef && !metric.query && provider && !BUILTIN_COMPARISON_PROVIDERS.includes(provider)) {
    problems.push({
      field: `${field}.compareTo`,
      message: `the built-in ${quoted(metric.name)} of the ${provider} provider has no comparison (built in for ${BUILTIN_COMPARISON_PROVIDERS.join(', ')}); give a templateRef with spec.comparison`,
    });
  }
  return problems;
}

function metricProblems(spec: CanarySpecType, provider: TrafficProvider | undefined): FieldProblem[] {
  const problems = duplicateNames(spec.analysis.metrics, 'spec.analysis.metrics', 'metric');
  spec.analysis.metrics?.forEach((metric, index) => {
    const field = `spec.analysis.metrics[${index}]`;
    const builtin = (BUILTIN_METRICS as readonly string[]).includes(metric.name);
    if (!builtin && !metric.templateRef && !metric.query) {
      problems.push({
        field: `${field}.templateRef`,
        message: `metric ${quoted(metric.name)} is not built in (${BUILTIN_METRICS.join(', ')}); give a templateRef or a query`,
      });
    }
    if (builtin && !metric.templateRef && !metric.query && provider && !BUILTIN_TEMPLATE_PROVIDERS.includes(provider)) {
      problems.push({
        field: `${field}.templateRef`,
        message: `there is no built-in ${quoted(metric.name)} for the ${provider} provider; give a templateRef`,
      });
    }
    for (const condition of ['successCondition', 'failureCondition'] as const) {
      const text = metric[condition];
      if (text === undefined) continue;
      try {
        compileCondition(text);
      } catch (error) {
        problems.push({ field: `${field}.${condition}`, message: (error as Error).message });
      }
    }
    if (metric.templateRef && metric.query) {
      problems.push({ field: `${field}.query`, message: 'cannot be combined with templateRef' });
    } else if (metric.query) {
      const unknown = unknownPlaceholders(metric.query, metric.templateVariables ?? {});
      if (unknown.length > 0) {
        problems.push({
          field: `${field}.query`,
          message: `${describeUnknown(unknown)}; known: ${TEMPLATE_VARIABLES.join(', ')} and variables.<name> for the names in ${field}.templateVariables`,
        });
      }
    }
    const range = metric.thresholdRange;
    if (range?.min !== undefined && range.max !== undefined && range.min > range.max) {
      problems.push({ field: `${field}.thresholdRange`, message: `min (${range.min}) is larger than max (${range.max})` });
    }
    const hasCheck =
      metric.thresholdRange !== undefined ||
      metric.threshold !== undefined ||
      metric.successCondition !== undefined ||
      metric.failureCondition !== undefined;
    problems.push(...comparisonProblems(metric, field, builtin, provider, hasCheck));
    if (!hasCheck && metric.compareTo === undefined) {
      problems.push({ field, message: `metric ${quoted(metric.name)} needs a thresholdRange or a successCondition/failureCondition` });
    }
  });
  return problems;
}

function webhookProblems(spec: CanarySpecType): FieldProblem[] {
  const problems = duplicateNames(spec.analysis.webhooks, 'spec.analysis.webhooks', 'webhook');
  spec.analysis.webhooks?.forEach((webhook, index) => {
    const field = `spec.analysis.webhooks[${index}]`;
    if (!isHttpUrl(webhook.url))
      problems.push({ field: `${field}.url`, message: `${quoted(redactUrl(webhook.url))} is not an http(s) URL` });
  });
  return problems;
}

function autoscalerProblems(spec: CanarySpecType): FieldProblem[] {
  const ref = spec.autoscalerRef;
  if (!ref || ref.kind === 'HorizontalPodAutoscaler') return [];
  return [{ field: 'spec.autoscalerRef.kind', message: `${quoted(ref.kind)} is not supported; use HorizontalPodAutoscaler` }];
}

// Whitespace, control, zero-width and bidi characters: the URL parser drops or encodes them, and they
// hide what a URL says.
const INVISIBLE = /[\u0000-\u0020\u007f-\u00a0\u00ad\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/;

export function isHttpUrl(text: string): boolean {
  if (INVISIBLE.test(text)) return false;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * A template that holds credentials but lets the Canary choose where they go is refused here, so a
 * Canary can never send a Secret it cannot read (another namespace's, or its own namespace's) to a
 * server of its choosing.
 */
export function templateCredentialProblems(
  canary: Canary,
  lookup: (namespace: string, name: string) => MetricTemplate | undefined,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  canary.spec.analysis.metrics?.forEach((metric, index) => {
    if (!metric.templateRef) return;
    const namespace = metric.templateRef.namespace ?? canary.metadata?.namespace ?? '';
    const template = lookup(namespace, metric.templateRef.name);
    const leak = template && credentialLeak(template.spec.provider);
    if (leak) {
      problems.push({
        field: `spec.analysis.metrics[${index}].templateRef`,
        message: `MetricTemplate ${namespace}/${metric.templateRef.name} cannot be used: ${leak}`,
      });
    }
  });
  return problems;
}

/**
 * Every templateRef whose MetricTemplate does not exist: such a Canary could never be analysed, so it
 * is reported (TemplateNotFound) before any run starts, and managed again once the template appears.
 */
export function missingTemplateProblems(
  canary: Canary,
  lookup: (namespace: string, name: string) => MetricTemplate | undefined,
): FieldProblem[] {
  return (canary.spec.analysis.metrics ?? []).flatMap((metric, index) => {
    if (!metric.templateRef) return [];
    const namespace = metric.templateRef.namespace ?? canary.metadata?.namespace ?? '';
    if (lookup(namespace, metric.templateRef.name)) return [];
    return [
      {
        field: `spec.analysis.metrics[${index}].templateRef`,
        message: `MetricTemplate ${namespace}/${metric.templateRef.name} does not exist`,
      },
    ];
  });
}
