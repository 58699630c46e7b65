// A TemplateMetricChecker whose only MetricTemplate is shop/errors with the given spec, for unit tests
// of what the checker says before anything is sent to a server (no credentials, no built-ins).
import type { CredentialStore } from '../../../src/analysis/credentials.ts';
import { TemplateMetricChecker } from '../../../src/analysis/metric-checker.ts';
import type { MetricTemplate } from '../../../src/api/metric-template.ts';
import type { Informer } from '../../../src/kube/informer.ts';

export function oneTemplateChecker(spec: MetricTemplate['spec']): TemplateMetricChecker {
  const template = { apiVersion: 'wren.dev/v1alpha1', kind: 'MetricTemplate', metadata: { name: 'errors', namespace: 'shop' }, spec };
  return new TemplateMetricChecker({
    templates: { get: (key: string) => (key === 'shop/errors' ? template : undefined) } as unknown as Informer<MetricTemplate>,
    credentials: undefined as unknown as CredentialStore,
    builtins: new Map(),
    defaultProvider: 'kubernetes',
  });
}
