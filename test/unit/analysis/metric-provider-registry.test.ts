import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricProviderFor } from '../../../src/analysis/providers/registry.ts';
import type { Canary } from '../../../src/api/canary.ts';
import { METRIC_PROVIDER_TYPES, type MetricTemplate } from '../../../src/api/metric-template.ts';
import { oneTemplateChecker } from './one-template-checker.ts';

test('every metric provider type of the schema has its provider in the registry', () => {
  for (const type of METRIC_PROVIDER_TYPES) {
    const provider = metricProviderFor(type);
    assert.notEqual(typeof provider, 'string', type);
    assert.equal(typeof provider === 'string' ? undefined : provider.type, type);
  }
});

test('prometheus, influxdb and graphite have an online probe, web has none, and only web templates its address', () => {
  const prometheus = metricProviderFor('prometheus');
  const web = metricProviderFor('web');
  for (const type of ['influxdb', 'graphite']) {
    const provider = metricProviderFor(type);
    assert.ok(typeof provider !== 'string');
    assert.equal(typeof provider.isOnline, 'function', type);
    assert.equal(provider.templatedAddress, false, type);
  }
  assert.ok(typeof prometheus !== 'string' && typeof web !== 'string');
  assert.equal(typeof prometheus.isOnline, 'function');
  assert.equal(web.isOnline, undefined);
  assert.equal(prometheus.templatedAddress, false);
  assert.equal(web.templatedAddress, true);
});

test('an unknown provider type is named, with the known ones', () => {
  for (const type of ['splunk', 'Prometheus', '', 'toString', '__proto__']) {
    assert.equal(
      metricProviderFor(type),
      `spec.provider.type ${JSON.stringify(type)} is not a metric provider of this build (known: ${METRIC_PROVIDER_TYPES.join(', ')})`,
    );
  }
});

test('a check of a template with an unknown provider type fails naming spec.provider.type; the offline probe passes it by', async () => {
  const checker = oneTemplateChecker({
    provider: { type: 'splunk', address: 'http://127.0.0.1:1' },
    query: 'errors',
  } as unknown as MetricTemplate['spec']);
  const canary = {
    metadata: { name: 'web', namespace: 'shop' },
    spec: { targetRef: { name: 'web' }, service: { port: 80 } },
  } as unknown as Canary;
  const metric = { name: 'errors', templateRef: { name: 'errors' }, thresholdRange: { max: 1 } };
  const result = await checker.check(canary, metric, { phase: 'Progressing', canaryWeight: 10, revision: 'r' });
  assert.deepEqual(result, {
    name: 'errors',
    kind: 'metric',
    passed: false,
    reason: 'ProviderUnavailable',
    message: `MetricTemplate shop/errors: spec.provider.type "splunk" is not a metric provider of this build (known: ${METRIC_PROVIDER_TYPES.join(', ')})`,
  });
  assert.equal(await checker.offline(canary, metric), undefined);
});

test('the hosted providers probe only where the service has a question for it (datadog: /api/v1/validate)', () => {
  const withProbe = ['datadog'];
  for (const type of ['datadog', 'newrelic', 'dynatrace', 'cloudwatch', 'stackdriver']) {
    const provider = metricProviderFor(type);
    assert.ok(typeof provider !== 'string', type);
    assert.equal(typeof provider.isOnline === 'function', withProbe.includes(type), type);
    assert.equal(provider.templatedAddress, false, type);
  }
});
