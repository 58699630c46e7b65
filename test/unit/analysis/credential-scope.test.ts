// A MetricTemplate's credentials go only to the server the same template names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { credentialLeak } from '../../../src/analysis/credential-scope.ts';
import type { Canary } from '../../../src/api/canary.ts';
import { CANARY, METRIC_TEMPLATE } from '../../../src/api/kinds.ts';
import type { MetricTemplate } from '../../../src/api/metric-template.ts';
import { validateResource } from '../../../src/api/validation/validate-resource.ts';

type Provider = MetricTemplate['spec']['provider'];
const cases: { name: string; provider: Provider; leaks: RegExp | undefined }[] = [
  { name: 'no credentials, no address', provider: { type: 'prometheus' }, leaks: undefined },
  {
    name: 'credentials with a fixed address',
    provider: { type: 'prometheus', address: 'https://prom.monitoring:9090', secretRef: { name: 'p' } },
    leaks: undefined,
  },
  {
    name: 'credentials, templated path only',
    provider: { type: 'web', address: 'https://api.example/v1/{{ namespace }}', secretRef: { name: 'p' } },
    leaks: undefined,
  },
  {
    name: 'credentials to the fixed default address of a hosted provider (datadog)',
    provider: { type: 'datadog', secretRef: { name: 'dd' } },
    leaks: undefined,
  },
  {
    name: 'credentials of a hosted provider without a default address (dynatrace) and no address',
    provider: { type: 'dynatrace', secretRef: { name: 'dt' } },
    leaks: /must name its own server in spec\.provider\.address/,
  },
  {
    name: 'credentials without an address',
    provider: { type: 'prometheus', secretRef: { name: 'p' } },
    leaks: /must name its own server in spec\.provider\.address/,
  },
  {
    name: 'credentials to a templated host',
    provider: { type: 'web', address: 'https://{{ variables.host }}/q', secretRef: { name: 'p' } },
    leaks: /must be written out, not templated/,
  },
  {
    name: 'credentials to a templated port',
    provider: { type: 'web', address: 'http://api:{{ variables.port }}/q', secretRef: { name: 'p' } },
    leaks: /not templated/,
  },
];
for (const { name, provider, leaks } of cases) {
  test(`credential scope: ${name}`, () => {
    const leak = credentialLeak(provider);
    if (leaks) assert.match(leak ?? '', leaks);
    else assert.equal(leak, undefined);
  });
}

const template = (namespace: string, provider: Provider): MetricTemplate => ({
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'MetricTemplate',
  metadata: { name: 'errors', namespace },
  spec: { provider, query: 'sum(rate(errors[1m]))' },
});

test('a template whose credentials could go to a Canary-chosen server is itself invalid, naming the field', () => {
  const problems = validateResource(METRIC_TEMPLATE, template('platform', { type: 'prometheus', secretRef: { name: 'prom-token' } }), {
    defaultProvider: 'kubernetes',
  });
  assert.deepEqual(
    problems.map((problem) => problem.field),
    ['spec.provider.address'],
  );
});

test("a Canary that refers to another namespace's template with credentials and no address is InvalidSpec at that templateRef", () => {
  const canary = {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name: 'web', namespace: 'tenant-a' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      service: { port: 80 },
      metricsServer: 'http://attacker.tenant-a:9090',
      analysis: {
        interval: '1m',
        threshold: 2,
        iterations: 2,
        metrics: [
          { name: 'latency', templateRef: { name: 'latency' }, thresholdRange: { max: 500 } },
          { name: 'errors', templateRef: { name: 'errors', namespace: 'platform' }, thresholdRange: { max: 1 } },
        ],
      },
    },
  } as Canary;
  const templates: Record<string, MetricTemplate> = {
    'platform/errors': template('platform', { type: 'prometheus', secretRef: { name: 'prom-token' } }),
    'tenant-a/latency': { ...template('tenant-a', { type: 'prometheus' }), metadata: { name: 'latency', namespace: 'tenant-a' } },
  };
  const lookup = (namespace: string, name: string) => templates[`${namespace}/${name}`];
  const problems = validateResource(CANARY, canary, { defaultProvider: 'kubernetes', metricTemplate: lookup });
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.field, 'spec.analysis.metrics[1].templateRef');
  assert.match(
    problems[0]?.message ?? '',
    /MetricTemplate platform\/errors cannot be used: .*never sends them to a Canary's metricsServer/,
  );
  templates['platform/errors'] = template('platform', {
    type: 'prometheus',
    address: 'https://prom.platform:9090',
    secretRef: { name: 'prom-token' },
  });
  assert.deepEqual(
    validateResource(CANARY, canary, { defaultProvider: 'kubernetes', metricTemplate: lookup }),
    [],
    'with its own address it may be used',
  );
});
