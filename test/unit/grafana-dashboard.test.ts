// The Grafana dashboard's shape, read from the file the chart ships: every panel has a place on the
// grid that no other panel takes, queries the ${datasource} variable and has a query per target;
// its ids are unique. Whether the queries run and name exported metrics is proven against a real
// operator and Prometheus in test/integration/grafana-dashboard.test.ts. Also the helper's
// variable substitution and exposition parsing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportedNames, loadDashboard, queryPanels, substitute, wrenMetricNames } from '../helpers/grafana-dashboard.ts';

const dashboard = loadDashboard();

test('the dashboard declares a schema version, a Prometheus datasource variable and a namespace variable', () => {
  assert.ok(dashboard.schemaVersion >= 36, `schemaVersion ${dashboard.schemaVersion}`);
  const variables = new Map(dashboard.templating.list.map((variable) => [variable.name, variable]));
  assert.equal(variables.get('datasource')?.type, 'datasource');
  assert.equal(variables.get('datasource')?.query, 'prometheus');
  assert.equal(variables.get('namespace')?.type, 'query');
});

test('every panel has a grid place of its own, unique id, the ${datasource} datasource and an expr per target', () => {
  const cells = new Map<string, string>();
  const ids = new Set<number>();
  for (const panel of dashboard.panels) {
    assert.ok(!ids.has(panel.id), `panel id ${panel.id} is used twice`);
    ids.add(panel.id);
    const { h, w, x, y } = panel.gridPos;
    assert.ok(x >= 0 && w > 0 && x + w <= 24 && h > 0 && y >= 0, `${panel.title}: gridPos ${JSON.stringify(panel.gridPos)}`);
    for (let row = y; row < y + h; row++)
      for (let column = x; column < x + w; column++) {
        const other = cells.get(`${row}:${column}`);
        assert.equal(other, undefined, `${panel.title} overlaps ${other}`);
        cells.set(`${row}:${column}`, panel.title);
      }
  }
  const panels = queryPanels(dashboard);
  assert.ok(panels.length > 0);
  for (const { panel } of panels) {
    assert.equal(panel.datasource?.uid, '${datasource}', `${panel.title}: datasource`);
    assert.ok((panel.targets ?? []).length > 0, `${panel.title} has no targets`);
    for (const target of panel.targets ?? []) {
      assert.ok(target.expr.trim().length > 0, `${panel.title} ${target.refId}: empty expr`);
      assert.equal(target.datasource?.uid, '${datasource}', `${panel.title} ${target.refId}: datasource`);
    }
  }
});

test('each row of the dashboard queries the metrics of its kind', () => {
  const names = (row: string) =>
    queryPanels(dashboard)
      .filter((entry) => entry.row === row)
      .flatMap(({ panel }) => (panel.targets ?? []).flatMap((target) => wrenMetricNames(target.expr)));
  assert.ok(names('Canaries').every((name) => name.startsWith('wren_canary_')));
  assert.ok(names('GitSync').every((name) => name.startsWith('wren_gitsync_')));
  assert.ok(names('ImagePolicy').every((name) => name.startsWith('wren_imagepolicy_')));
  assert.ok(names('Operator').length > 0);
});

test('substitute puts in $var, ${var} and [[var]] and Grafana interval variables, and refuses an unknown variable', () => {
  assert.equal(
    substitute('rate(x{namespace=~"$namespace"}[$__rate_interval]) + y{a="${namespace}"} + z{b="[[namespace]]"}', { namespace: 'apps' }),
    'rate(x{namespace=~"apps"}[1m]) + y{a="apps"} + z{b="apps"}',
  );
  assert.throws(() => substitute('x{a="$cluster"}', {}), /\$cluster/);
});

test('exportedNames reads TYPE lines, with the series suffixes of histograms and summaries', () => {
  const exposition = [
    '# HELP wren_a_total A counter',
    '# TYPE wren_a_total counter',
    'wren_a_total{x="1"} 2',
    '# TYPE wren_b_seconds histogram',
    '# TYPE wren_c summary',
    '# TYPE wren_d gauge',
  ].join('\n');
  assert.deepEqual(
    [...exportedNames(exposition)].sort(),
    [
      'wren_a_total',
      'wren_b_seconds_bucket',
      'wren_b_seconds_count',
      'wren_b_seconds_sum',
      'wren_c',
      'wren_c_count',
      'wren_c_sum',
      'wren_d',
    ].sort(),
  );
});
