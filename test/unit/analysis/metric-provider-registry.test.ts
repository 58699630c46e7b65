import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricProviderFor } from '../../../src/analysis/providers/registry.ts';
import { METRIC_PROVIDER_TYPES } from '../../../src/api/metric-template.ts';

test('every metric provider type of the schema has its provider in the registry', () => {
  for (const type of METRIC_PROVIDER_TYPES) {
    const provider = metricProviderFor(type);
    assert.notEqual(typeof provider, 'string', type);
    assert.equal(typeof provider === 'string' ? undefined : provider.type, type);
  }
});

test('only prometheus has an online probe, and only web templates its address', () => {
  const prometheus = metricProviderFor('prometheus');
  const web = metricProviderFor('web');
  assert.ok(typeof prometheus !== 'string' && typeof web !== 'string');
  assert.equal(typeof prometheus.isOnline, 'function');
  assert.equal(web.isOnline, undefined);
  assert.equal(prometheus.templatedAddress, false);
  assert.equal(web.templatedAddress, true);
});

test('an unknown provider type is named, with the known ones', () => {
  for (const type of ['datadog', 'Prometheus', '', 'toString', '__proto__']) {
    assert.equal(
      metricProviderFor(type),
      `spec.provider.type ${JSON.stringify(type)} is not a metric provider of this build (known: prometheus, web)`,
    );
  }
});
