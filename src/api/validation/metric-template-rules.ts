import type { MetricTemplate } from '../metric-template.ts';
import { isHttpUrl } from './canary-rules.ts';
import { quoted, type FieldProblem } from './field-problem.ts';
import { redactUrl } from '../../gitsync/source/repository-url.ts';
import { describeUnknown, TEMPLATE_VARIABLES, unknownPlaceholders } from '../../analysis/query-template.ts';
import { credentialLeak } from '../../analysis/credential-scope.ts';
import { comparisonProblem } from '../../analysis/comparison/comparison-queries.ts';
import { requiredSecretKeys } from '../../analysis/providers/service-defaults.ts';

type Spec = NonNullable<MetricTemplate['spec']>;

export function metricTemplateProblems(spec: Spec): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { provider } = spec;
  if (provider.address !== undefined && !isHttpUrl(provider.address)) {
    problems.push({ field: 'spec.provider.address', message: `${quoted(redactUrl(provider.address))} is not an http(s) URL` });
  }
  const leak = credentialLeak(provider);
  if (leak) problems.push({ field: 'spec.provider.address', message: leak });
  if (provider.type === 'prometheus' && !spec.query) {
    problems.push({ field: 'spec.query', message: 'is required by the prometheus provider' });
  }
  const secretKeys = requiredSecretKeys(provider.type);
  if (secretKeys.length > 0) {
    if (!spec.query) problems.push({ field: 'spec.query', message: `is required by the ${provider.type} provider` });
    if (!provider.secretRef) {
      problems.push({
        field: 'spec.provider.secretRef',
        message: `is required by the ${provider.type} provider (keys ${secretKeys.join(', ')})`,
      });
    }
  }
  if (provider.type === 'web') {
    if (!provider.address) problems.push({ field: 'spec.provider.address', message: 'is required by the web provider' });
    if (!spec.web) problems.push({ field: 'spec.web', message: 'is required by the web provider (jsonPath of the value)' });
  }
  if (provider.type === 'influxdb' && !spec.query) {
    problems.push({ field: 'spec.query', message: 'is required by the influxdb provider (an InfluxQL SELECT)' });
  }
  if (provider.type === 'graphite' && !spec.query) {
    problems.push({ field: 'spec.query', message: 'is required by the graphite provider (a render target)' });
  }
  if (provider.type !== 'influxdb' && spec.influxdb) {
    problems.push({ field: 'spec.influxdb', message: `has no effect with provider type ${provider.type}` });
  }
  if (provider.type !== 'web' && spec.web) {
    problems.push({ field: 'spec.web', message: `has no effect with provider type ${provider.type}` });
  }
  if (spec.comparison) {
    const problem = comparisonProblem(spec.comparison);
    if (problem) problems.push({ field: 'spec.comparison', message: problem });
  }
  for (const [field, template] of [
    ['spec.query', spec.query],
    ['spec.web.body', spec.web?.body],
    ['spec.comparison.requests', spec.comparison?.requests],
    ['spec.comparison.errors', spec.comparison?.errors],
    ['spec.comparison.buckets', spec.comparison?.buckets],
  ] as const) {
    const unknown = unknownPlaceholders(template ?? '');
    if (unknown.length > 0) {
      problems.push({ field, message: `${describeUnknown(unknown)}; known: ${TEMPLATE_VARIABLES.join(', ')}, variables.<name>` });
    }
  }
  return problems;
}
