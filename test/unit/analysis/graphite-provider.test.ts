import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphiteFrom, graphiteRenderUrl, valueFromGraphiteResponse } from '../../../src/analysis/providers/graphite.ts';
import { metricTemplateProblems } from '../../../src/api/validation/metric-template-rules.ts';

test('a render answer comes down to the last non-null datapoint of its one series, or no data', () => {
  const one = (datapoints: [number | null, number][]) => [{ target: 'app.checkout.latency', datapoints }];
  assert.equal(
    valueFromGraphiteResponse(
      one([
        [0.2, 100],
        [0.4, 110],
        [null, 120],
      ]),
    ),
    0.4,
  );
  assert.equal(valueFromGraphiteResponse(one([[0, 100]])), 0);
  assert.equal(
    valueFromGraphiteResponse(
      one([
        [null, 100],
        [null, 110],
      ]),
    ),
    undefined,
  );
  assert.equal(valueFromGraphiteResponse(one([])), undefined);
  assert.equal(valueFromGraphiteResponse([]), undefined);
});

test('several series and answers that are not a list of series are refused with the reason', () => {
  const series = ['a', 'b', 'c', 'd'].map((name) => ({ target: `app.${name}.latency`, datapoints: [[1, 100]] }));
  assert.throws(
    () => valueFromGraphiteResponse(series),
    /target returned 4 series \(app\.a\.latency, app\.b\.latency, app\.c\.latency…\); aggregate it to one \(e\.g\. with sumSeries\)/,
  );
  assert.throws(() => valueFromGraphiteResponse({ error: 'x' }), /other than a list of series/);
});

test("the render URL asks for JSON over the metric's interval, in whole seconds; parameters of the address stay", () => {
  assert.equal(graphiteFrom('1m'), '-60s');
  assert.equal(graphiteFrom('1h30m'), '-5400s');
  assert.equal(graphiteFrom('90s'), '-90s');
  assert.throws(() => graphiteFrom('soon'), /interval "soon" is not a duration/);
  assert.throws(() => graphiteFrom('500ms'), /at least 1s/);
  const url = new URL(graphiteRenderUrl('https://graphite.example/api/?tenant=shop', 'sumSeries(app.*.errors)', '5m'));
  assert.equal(url.pathname, '/api/render');
  assert.equal(url.searchParams.get('target'), 'sumSeries(app.*.errors)');
  assert.equal(url.searchParams.get('from'), '-300s');
  assert.equal(url.searchParams.get('format'), 'json');
  assert.equal(url.searchParams.get('tenant'), 'shop');
});

test('a graphite template needs a target in spec.query', () => {
  const fields = (spec: Parameters<typeof metricTemplateProblems>[0]) => metricTemplateProblems(spec).map((problem) => problem.field);
  assert.deepEqual(fields({ provider: { type: 'graphite', address: 'http://graphite' } }), ['spec.query']);
  assert.deepEqual(fields({ provider: { type: 'graphite', address: 'http://graphite' }, query: 'app.{{ target }}.latency' }), []);
});
