import type { MetricTemplate } from '../metric-template.ts';
import { isHttpUrl } from './canary-rules.ts';
import type { FieldProblem } from './field-problem.ts';

type Spec = NonNullable<MetricTemplate['spec']>;

export function metricTemplateProblems(spec: Spec): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { provider } = spec;
  if (provider.address !== undefined && !isHttpUrl(provider.address)) {
    problems.push({ field: 'spec.provider.address', message: `"${provider.address}" is not an http(s) URL` });
  }
  if (provider.type === 'prometheus' && !spec.query) {
    problems.push({ field: 'spec.query', message: 'is required by the prometheus provider' });
  }
  if (provider.type === 'web') {
    if (!provider.address) problems.push({ field: 'spec.provider.address', message: 'is required by the web provider' });
    if (!spec.web) problems.push({ field: 'spec.web', message: 'is required by the web provider (jsonPath of the value)' });
  }
  if (provider.type !== 'web' && spec.web) {
    problems.push({ field: 'spec.web', message: `has no effect with provider type ${provider.type}` });
  }
  return problems;
}
