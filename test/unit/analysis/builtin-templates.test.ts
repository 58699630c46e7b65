import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBuiltinTemplates } from '../../../src/analysis/builtin-templates.ts';
import { placeholdersOf, renderTemplate } from '../../../src/analysis/query-template.ts';
import { METRIC_TEMPLATE } from '../../../src/api/kinds.ts';
import { BUILTIN_COMPARISON_PROVIDERS, BUILTIN_METRICS, BUILTIN_TEMPLATE_PROVIDERS } from '../../../src/api/providers.ts';
import { comparisonProblem, comparisonQueries } from '../../../src/analysis/comparison/comparison-queries.ts';
import { validateResource } from '../../../src/api/validation/validate-resource.ts';

/** Templates for one Gateway API implementation, named by templateRef (analysis-templates/gatewayapi-<implementation>.yaml). */
const GATEWAY_IMPLEMENTATIONS = ['gatewayapi-traefik'];

test('every provider with built-ins, and every Gateway implementation with templates, has both metrics, each a valid MetricTemplate that renders', () => {
  const templates = loadBuiltinTemplates();
  for (const provider of [...BUILTIN_TEMPLATE_PROVIDERS, ...GATEWAY_IMPLEMENTATIONS]) {
    for (const metric of BUILTIN_METRICS) {
      const template = templates.get(`${metric}-${provider}`);
      assert.ok(template, `${metric}-${provider} exists`);
      assert.deepEqual(validateResource(METRIC_TEMPLATE, template, { defaultProvider: 'kubernetes' }), []);
      const query = renderTemplate(template.spec.query ?? '', {
        name: 'podinfo',
        namespace: 'shop',
        target: 'podinfo',
        service: 'podinfo',
        ingress: 'podinfo',
        interval: '1m',
        variables: {},
      });
      assert.ok(!query.includes('{{'), `${metric}-${provider} renders completely`);
      assert.ok(placeholdersOf(template.spec.query ?? '').includes('interval'));
    }
  }
  assert.equal(
    templates.size,
    (BUILTIN_TEMPLATE_PROVIDERS.length + GATEWAY_IMPLEMENTATIONS.length) * BUILTIN_METRICS.length,
    'no template without a provider or implementation entry',
  );
});

test('the built-ins of the providers with comparisons carry a valid spec.comparison that selects each side by {{ target }}; the others carry none', () => {
  const templates = loadBuiltinTemplates();
  for (const provider of BUILTIN_TEMPLATE_PROVIDERS) {
    for (const metric of BUILTIN_METRICS) {
      const comparison = templates.get(`${metric}-${provider}`)?.spec.comparison;
      if (!BUILTIN_COMPARISON_PROVIDERS.includes(provider)) {
        assert.equal(comparison, undefined, `${metric}-${provider} has no comparison`);
        continue;
      }
      assert.equal(comparisonProblem(comparison), undefined, `${metric}-${provider}`);
      const kind = comparisonQueries(comparison ?? {}, {
        name: 'web',
        namespace: 'shop',
        target: 'web',
        service: 'web',
        interval: '60s',
        variables: {},
      }).canary.kind;
      assert.equal(kind, metric === 'request-success-rate' ? 'error-rates' : 'latency', `${metric}-${provider}`);
    }
  }
});
