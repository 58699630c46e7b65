// Metric providers against real servers on loopback: a Canary's metric check, run by Wren's own
// checker, reads the number written into the server, calls an empty result no data, holds (never
// fails) when the server is down, and fails with the server's reason when it refuses the query.
// No Kubernetes cluster: the template is handed to the checker directly, and so are the credentials
// (in place of the Secret store that would read them from a Secret).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CredentialStore } from '../../src/analysis/credentials.ts';
import { TemplateMetricChecker } from '../../src/analysis/metric-checker.ts';
import type { Credentials } from '../../src/analysis/providers/provider-request.ts';
import type { Canary } from '../../src/api/canary.ts';
import type { MetricTemplate } from '../../src/api/metric-template.ts';
import type { Informer } from '../../src/kube/informer.ts';
import { eventually } from '../helpers/eventually.ts';
import { startGraphite, startInfluxdb, startVictoriaMetrics } from '../helpers/metric-servers.ts';
import { freePort } from '../helpers/prometheus.ts';

const NAMESPACE = 'shop';
const STEP = { phase: 'Progressing' as const, canaryWeight: 10, revision: 'r1' };
const canary = {
  metadata: { name: 'checkout', namespace: NAMESPACE },
  spec: { targetRef: { name: 'checkout' }, service: { port: 80 } },
} as unknown as Canary;
const metric = { name: 'latency', templateRef: { name: 'latency' }, thresholdRange: { max: 0.5 }, interval: '5m' };

/** One checker per case: each has its own server backoff, so an outage in one case cannot hold up another. */
function checkerFor(spec: MetricTemplate['spec'], credentials?: Credentials): TemplateMetricChecker {
  const template = { apiVersion: 'wren.dev/v1alpha1', kind: 'MetricTemplate', metadata: { name: 'latency', namespace: NAMESPACE }, spec };
  return new TemplateMetricChecker({
    templates: { get: (key: string) => (key === `${NAMESPACE}/latency` ? template : undefined) } as unknown as Informer<MetricTemplate>,
    credentials: { get: async () => credentials ?? {} } as unknown as CredentialStore,
    builtins: new Map(),
    defaultProvider: 'kubernetes',
  });
}

const influxTemplate = (address: string, query: string, extra: Partial<MetricTemplate['spec']> = {}): MetricTemplate['spec'] => ({
  provider: { type: 'influxdb', address, timeout: '5s' },
  query,
  influxdb: { database: 'shop' },
  ...extra,
});
const LATENCY = `SELECT mean("seconds") FROM "request_latency" WHERE "app" = '{{ target }}' AND time > now() - {{ interval }}`;

test('influxdb: a check reads the mean a real InfluxDB 1.x holds, an empty measurement is no data, and its probe passes', async (t) => {
  const influx = await startInfluxdb(t);
  await influx.admin('CREATE DATABASE "shop"');
  const now = BigInt(Date.now()) * 1_000_000n;
  await influx.write('shop', [
    `request_latency,app=checkout seconds=0.2 ${now - 2_000_000_000n}`,
    `request_latency,app=checkout seconds=0.4 ${now - 1_000_000_000n}`,
    `request_latency,app=payments seconds=9 ${now - 1_000_000_000n}`,
  ]);

  const result = await checkerFor(influxTemplate(influx.url, LATENCY)).check(canary, metric, STEP);
  assert.equal(result.passed, true, result.message);
  assert.ok(Math.abs((result.value ?? NaN) - 0.3) < 1e-9, `mean of checkout's two points, got ${result.value}`);
  assert.equal(result.query, `SELECT mean("seconds") FROM "request_latency" WHERE "app" = 'checkout' AND time > now() - 5m`);

  // The database can also come from the address, and a fully qualified measurement needs neither.
  const fromAddress = await checkerFor(influxTemplate(`${influx.url}/?db=shop`, LATENCY, { influxdb: {} })).check(canary, metric, STEP);
  assert.equal(fromAddress.value, result.value);
  const qualified = LATENCY.replace('FROM "request_latency"', 'FROM "shop"."autogen"."request_latency"');
  const noDatabase = await checkerFor(influxTemplate(influx.url, qualified, { influxdb: {} })).check(canary, metric, STEP);
  assert.equal(noDatabase.value, result.value);

  const empty = await checkerFor(influxTemplate(influx.url, LATENCY.replace('request_latency', 'never_written'))).check(
    canary,
    metric,
    STEP,
  );
  assert.equal(empty.reason, 'NoData');
  assert.equal(empty.value, undefined);
  const otherApp = await checkerFor(influxTemplate(influx.url, LATENCY.replace("'{{ target }}'", "'nobody'"))).check(canary, metric, STEP);
  assert.equal(otherApp.reason, 'NoData');

  assert.equal(await checkerFor(influxTemplate(influx.url, LATENCY)).offline(canary, metric), undefined);
});

test("influxdb: a bad InfluxQL query, an unknown database and several series fail the check with InfluxDB's reason", async (t) => {
  const influx = await startInfluxdb(t);
  await influx.admin('CREATE DATABASE "shop"');
  await influx.write('shop', ['request_latency,app=checkout seconds=0.2', 'request_latency,app=payments seconds=0.3']);

  const typo = await checkerFor(influxTemplate(influx.url, 'SELEC mean("seconds") FROM "request_latency"')).check(canary, metric, STEP);
  assert.equal(typo.reason, 'QueryFailed');
  assert.match(typo.message ?? '', /query failed: error parsing query: found SELEC/);

  const unknown = await checkerFor(influxTemplate(influx.url, LATENCY, { influxdb: { database: 'nowhere' } })).check(canary, metric, STEP);
  assert.equal(unknown.reason, 'QueryFailed');
  assert.match(unknown.message ?? '', /database not found: nowhere/);

  const perApp = await checkerFor(influxTemplate(influx.url, 'SELECT last("seconds") FROM "request_latency" GROUP BY "app"')).check(
    canary,
    metric,
    STEP,
  );
  assert.equal(perApp.reason, 'QueryFailed');
  assert.match(perApp.message ?? '', /returned 2 series; aggregate it to one/);
});

test('influxdb: with authentication on, the username and password of the secretRef read the number; without them the check is a refusal', async (t) => {
  const admin = { username: 'wren-reader', password: 'influx-pass-7c2e' };
  const influx = await startInfluxdb(t, admin);
  await influx.admin('CREATE DATABASE "shop"');
  await influx.write('shop', ['request_latency,app=checkout seconds=0.25']);
  const withSecret = influxTemplate(influx.url, LATENCY, {
    provider: { type: 'influxdb', address: influx.url, secretRef: { name: 'influx' } },
  });

  const read = await checkerFor(withSecret, admin).check(canary, metric, STEP);
  assert.equal(read.passed, true, read.message);
  assert.equal(read.value, 0.25);

  const anonymous = await checkerFor(influxTemplate(influx.url, LATENCY)).check(canary, metric, STEP);
  assert.equal(anonymous.reason, 'QueryFailed');
  assert.match(anonymous.message ?? '', /refused the query \(HTTP 401: .*\): check the credentials of the template/);
  const wrong = await checkerFor(withSecret, { ...admin, password: 'not-it' }).check(canary, metric, STEP);
  assert.equal(wrong.reason, 'QueryFailed');
  assert.match(wrong.message ?? '', /HTTP 401/);
  assert.doesNotMatch(wrong.message ?? '', /not-it/);
});

test('influxdb: a server that is down makes the check Unreachable (held, not failed) and fails the online probe', async (t) => {
  const influx = await startInfluxdb(t);
  await influx.stop();
  const checker = checkerFor(influxTemplate(influx.url, LATENCY));
  const down = await checker.check(canary, metric, STEP);
  assert.equal(down.passed, false);
  assert.equal(down.reason, 'Unreachable');
  assert.match(down.message ?? '', new RegExp(influx.url.replace(/[.]/g, '\\.')));
  assert.match((await checkerFor(influxTemplate(influx.url, LATENCY)).offline(canary, metric)) ?? '', /is not reachable/);
});

test('prometheus provider against a real VictoriaMetrics: imported samples are read, no series is no data, its probe passes, and a stopped one is Unreachable', async (t) => {
  const victoria = await startVictoriaMetrics(t);
  const at = Date.now() - 10_000;
  await victoria.importPrometheus([
    `request_duration_seconds_sum{app="checkout"} 12 ${at}`,
    `request_duration_seconds_count{app="checkout"} 40 ${at}`,
    `request_duration_seconds_sum{app="payments"} 90 ${at}`,
    `request_duration_seconds_count{app="payments"} 10 ${at}`,
  ]);
  // Imported samples become searchable once VictoriaMetrics flushes them (about a second).
  await eventually('VictoriaMetrics to serve the imported series', async () => {
    const body = (await (await fetch(`${victoria.url}/api/v1/series?match[]=request_duration_seconds_sum`)).json()) as { data: unknown[] };
    return body.data.length === 2;
  });
  const prometheusTemplate = (query: string): MetricTemplate['spec'] => ({
    provider: { type: 'prometheus', address: victoria.url },
    query,
  });
  const mean =
    'sum(last_over_time(request_duration_seconds_sum{app="{{ target }}"}[{{ interval }}])) / sum(last_over_time(request_duration_seconds_count{app="{{ target }}"}[{{ interval }}]))';

  const result = await checkerFor(prometheusTemplate(mean)).check(canary, metric, STEP);
  assert.equal(result.passed, true, result.message);
  assert.equal(result.value, 0.3);

  const none = await checkerFor(prometheusTemplate('sum(request_duration_seconds_sum{app="nobody"})')).check(canary, metric, STEP);
  assert.equal(none.reason, 'NoData');

  const bad = await checkerFor(prometheusTemplate('sum(request_duration_seconds_sum{app=)')).check(canary, metric, STEP);
  assert.equal(bad.reason, 'QueryFailed');
  assert.match(bad.message ?? '', /query failed: /);

  assert.equal(await checkerFor(prometheusTemplate(mean)).offline(canary, metric), undefined);

  await victoria.stop();
  const down = await checkerFor(prometheusTemplate(mean)).check(canary, metric, STEP);
  assert.equal(down.reason, 'Unreachable');
  assert.match((await checkerFor(prometheusTemplate(mean)).offline(canary, metric)) ?? '', /is not reachable/);
});

test('influxdb: an address where nothing listens is Unreachable', async () => {
  const url = `http://127.0.0.1:${await freePort()}`;
  const result = await checkerFor(influxTemplate(url, LATENCY)).check(canary, metric, STEP);
  assert.equal(result.reason, 'Unreachable');
});

test('graphite: a check reads the last point carbon-cache took, a path without points is no data, and the probe passes', async (t) => {
  const graphite = await startGraphite(t);
  const now = Date.now();
  await graphite.send([
    { path: 'app.checkout.latency', value: 0.2, at: new Date(now - 25_000) },
    { path: 'app.checkout.latency', value: 0.4, at: new Date(now - 5_000) },
    { path: 'app.payments.latency', value: 9, at: new Date(now - 5_000) },
  ]);
  const graphiteTemplate = (query: string): MetricTemplate['spec'] => ({ provider: { type: 'graphite', address: graphite.url }, query });

  const result = await checkerFor(graphiteTemplate('app.{{ target }}.latency')).check(canary, metric, STEP);
  assert.equal(result.passed, true, result.message);
  assert.equal(result.value, 0.4);
  assert.equal(result.query, 'app.checkout.latency');
  const summed = await checkerFor(graphiteTemplate('sumSeries(app.*.latency)')).check(canary, metric, STEP);
  assert.equal(summed.value, 9.4);

  const none = await checkerFor(graphiteTemplate('app.nobody.latency')).check(canary, metric, STEP);
  assert.equal(none.reason, 'NoData');
  assert.equal(await checkerFor(graphiteTemplate('app.{{ target }}.latency')).offline(canary, metric), undefined);
});

test('graphite: an unknown function and a wildcard over several series fail the check with the reason; a stopped server is Unreachable', async (t) => {
  const graphite = await startGraphite(t);
  await graphite.send([
    { path: 'app.checkout.errors', value: 1, at: new Date(Date.now() - 5_000) },
    { path: 'app.payments.errors', value: 2, at: new Date(Date.now() - 5_000) },
  ]);
  const graphiteTemplate = (query: string): MetricTemplate['spec'] => ({ provider: { type: 'graphite', address: graphite.url }, query });

  const unknown = await checkerFor(graphiteTemplate('averageSeriez(app.*.errors)')).check(canary, metric, STEP);
  assert.equal(unknown.reason, 'QueryFailed');
  assert.match(unknown.message ?? '', /query failed \(HTTP 400\): .*unknown function: averageSeriez/);
  const several = await checkerFor(graphiteTemplate('app.*.errors')).check(canary, metric, STEP);
  assert.equal(several.reason, 'QueryFailed');
  assert.match(several.message ?? '', /target returned 2 series .*aggregate it to one/);

  await graphite.stop();
  const down = await checkerFor(graphiteTemplate('app.checkout.errors')).check(canary, metric, STEP);
  assert.equal(down.reason, 'Unreachable');
  assert.match((await checkerFor(graphiteTemplate('app.checkout.errors')).offline(canary, metric)) ?? '', /is not reachable/);
});
