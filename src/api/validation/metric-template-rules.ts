import type { MetricTemplate } from '../metric-template.ts';
import { isHttpUrl } from './canary-rules.ts';
import type { FieldProblem } from './field-problem.ts';
import { placeholdersOf } from '../../analysis/query-template.ts';
import { credentialLeak } from '../../analysis/credential-scope.ts';

type Spec = NonNullable<MetricTemplate['spec']>;

export function metricTemplateProblems(spec: Spec): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { provider } = spec;
  if (provider.address !== undefined && !isHttpUrl(provider.address)) {
    problems.push({ field: 'spec.provider.address', message: `"${provider.address}" is not an http(s) URL` });
  }
  const leak = credentialLeak(provider);
  if (leak) problems.push({ field: 'spec.provider.address', message: leak });
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
  const unknown = placeholdersOf(spec.query ?? '').filter(
    (name) => !KNOWN_VARIABLES.includes(name) && !/^variables\.[A-Za-z_][\w-]*$/.test(name),
  );
  if (unknown.length > 0) {
    problems.push({
      field: 'spec.query',
      message: `unknown template variable ${unknown.map((name) => `"{{ ${name} }}"`).join(', ')}; known: ${KNOWN_VARIABLES.join(', ')}, variables.<name>`,
    });
  }
  return problems;
}

const KNOWN_VARIABLES = ['name', 'namespace', 'target', 'service', 'ingress', 'interval'];
