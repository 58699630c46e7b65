// The Grafana dashboard against what the operator really exports: a real operator releases a
// canary and does GitSync and ImagePolicy work on the local control plane (a git daemon on loopback,
// Debian's docker-registry), a real Prometheus scrapes its /metrics, and every query of every panel
// in charts/wren/dashboards/wren.json runs against that Prometheus without error, naming only
// metrics the operator exports. The canary check, GitSync and ImagePolicy metrics show the work that was done.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CANARIES, CONFIG_MAPS, DEPLOYMENTS, GIT_SYNCS, IMAGE_POLICIES, METRIC_TEMPLATES } from '../../src/kube/resource-types.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { appDeployment, canaryFor, setImage, waitForPhase } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster } from '../helpers/cluster.ts';
import { startContainerRegistry } from '../helpers/container-registry.ts';
import { eventually } from '../helpers/eventually.ts';
import { startGitRemote } from '../helpers/git-remote.ts';
import { configMapYaml, gitSyncFor, waitForApplied, waitForFailure } from '../helpers/gitsync-fixtures.ts';
import { exportedNames, loadDashboard, queryPanels, substitute, wrenMetricNames } from '../helpers/grafana-dashboard.ts';
import { imagePolicyFor, waitForPolicy, waitForPolicyProblem } from '../helpers/image-policy-fixtures.ts';
import { metricValue } from '../helpers/metrics.ts';
import { operatorFor } from '../helpers/operator-process.ts';
import { startPrometheus, waitForScrapes } from '../helpers/prometheus.ts';
import { WebhookServer } from '../helpers/webhook-server.ts';

type ConfigMap = KubeObject & { data?: Record<string, string> };

interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: unknown[] } | string[];
}

async function promApi(prometheus: string, path: string, params: Record<string, string>): Promise<PromResponse> {
  const response = await fetch(`${prometheus}${path}?${new URLSearchParams(params)}`);
  return (await response.json()) as PromResponse;
}

test('every Grafana dashboard query runs against a Prometheus scraping a real operator and names only metrics it exports', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const registry = await startContainerRegistry();
  t.after(() => registry.close());
  for (const tag of ['1.0.0', '1.1.0']) await registry.pushImage('team/web', tag);
  const image = `${registry.host}/team/web`;

  const first = await remote.commit({
    'app/settings.yaml': configMapYaml('settings', { color: 'blue' }),
    'app/extra.yaml': configMapYaml('extra', { a: '1' }),
    'app/images.yaml': [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: images',
      'data:',
      `  web: "${image}:1.0.0" # {"$imagepolicy": "${namespace}:web"}`,
      '',
    ].join('\n'),
  });
  const operator = operatorFor(t, cluster.kubeconfigPath, namespace);
  const prometheus = await startPrometheus(t, [`127.0.0.1:${await operator.httpPort()}`]);

  // A canary with one webhook check and one metric check (a constant read from the same Prometheus):
  // it is released while the GitOps work below goes on.
  const hooks = await new WebhookServer().start(t);
  await cluster.client.create(METRIC_TEMPLATES, {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'MetricTemplate',
    metadata: { name: 'constant', namespace },
    spec: { provider: { type: 'prometheus', address: prometheus.url }, query: 'vector(3)' },
  } as never);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, 'ghcr.io/example/podinfo:1.0.0'));
  await cluster.client.create(
    CANARIES,
    canaryFor('podinfo', namespace, {
      iterations: 2,
      metrics: [{ name: 'constant', templateRef: { name: 'constant' }, thresholdRange: { max: 5 }, interval: '1m' }],
      webhooks: [{ name: 'load-test', url: hooks.url('/check') }],
    }),
  );
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', 'ghcr.io/example/podinfo:2.0.0');

  // GitSync: a first sync creates three objects.
  await cluster.client.create(GIT_SYNCS, gitSyncFor('app', namespace, remote.gitUrl, { path: 'app' }));
  await waitForApplied(cluster, namespace, 'app', first);

  // ImagePolicy: a scan picks 1.1.0 and commits it; the GitSync applies that commit (one update).
  // A second policy names a repository the registry does not have: its scan fails.
  await cluster.client.create(
    IMAGE_POLICIES,
    imagePolicyFor('web', namespace, { gitSyncRef: { name: 'app' }, image, policy: { semver: { range: '^1.0.0' } } }),
  );
  await cluster.client.create(
    IMAGE_POLICIES,
    imagePolicyFor('missing', namespace, {
      gitSyncRef: { name: 'app' },
      image: `${registry.host}/team/absent`,
      policy: { semver: { range: '>=0.0.0' } },
    }),
  );
  const written = await waitForPolicy(cluster, namespace, 'web', 'to write back 1.1.0', (status) =>
    Boolean(status.chosen?.tag === '1.1.0' && status.lastWriteBack?.commit),
  );
  const writeBackCommit = written.status?.lastWriteBack?.commit ?? '';
  await waitForApplied(cluster, namespace, 'app', writeBackCommit);
  await waitForPolicyProblem(cluster, namespace, 'missing', 'RegistryError');

  // Drift: a hand edit is put back.
  await cluster.client.mergePatch(CONFIG_MAPS, namespace, 'settings', { data: { color: 'red' } });
  await eventually(
    'the drift to be corrected',
    async () => (await cluster.client.get<ConfigMap>(CONFIG_MAPS, namespace, 'settings')).data?.color === 'blue',
  );

  // An object that left Git is pruned.
  const pruning = await remote.commit({ 'app/extra.yaml': null });
  await waitForApplied(cluster, namespace, 'app', pruning);

  // A broken revision fails at render.
  await remote.commit({ 'app/broken.yaml': 'data: [unclosed\n' });
  await waitForFailure(cluster, namespace, 'app', 'RenderFailed');

  await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded');

  // What the operator exports shows that work.
  const exposition = (await operator.get('/metrics')).body;
  const mine = { namespace, name: 'app' };
  assert.ok(
    metricValue(exposition, 'wren_gitsync_objects_applied_total', { ...mine, operation: 'created' }) >= 3,
    'the three objects of the first sync count as created',
  );
  assert.ok(
    metricValue(exposition, 'wren_gitsync_objects_applied_total', { ...mine, operation: 'updated' }) >= 1,
    'the write-back commit updated the images ConfigMap',
  );
  assert.ok(metricValue(exposition, 'wren_gitsync_drift_corrections_total', mine) >= 1, 'the hand edit counts as a drift correction');
  assert.ok(
    metricValue(exposition, 'wren_gitsync_failures_total', { ...mine, stage: 'render' }) >= 1,
    'the broken revision failed at render',
  );
  assert.ok(metricValue(exposition, 'wren_gitsync_sync_duration_seconds_count', { ...mine, result: 'success' }) >= 2);
  assert.ok(metricValue(exposition, 'wren_gitsync_sync_duration_seconds_count', { ...mine, result: 'failure' }) >= 1);
  assert.ok(metricValue(exposition, 'wren_gitsync_objects_pruned_total', mine) >= 1, 'the object that left Git counts as pruned');
  assert.equal(metricValue(exposition, 'wren_gitsync_applied_revision_info', { ...mine, revision: pruning }), 1);
  assert.equal(
    metricValue(exposition, 'wren_gitsync_applied_revision_info', mine),
    1,
    'one revision series: the earlier revisions were dropped, the broken one never applied',
  );
  assert.ok(metricValue(exposition, 'wren_imagepolicy_scans_total', { namespace, name: 'web', result: 'success' }) >= 1);
  assert.equal(metricValue(exposition, 'wren_imagepolicy_write_backs_total', { namespace, name: 'web', result: 'committed' }), 1);
  assert.ok(metricValue(exposition, 'wren_imagepolicy_scans_total', { namespace, name: 'missing', result: 'error' }) >= 1);
  assert.ok(metricValue(exposition, 'wren_imagepolicy_failures_total', { namespace, name: 'missing', stage: 'scan' }) >= 1);

  const podinfo = { namespace, name: 'podinfo' };
  assert.ok(metricValue(exposition, 'wren_canary_checks_total', { ...podinfo, check: 'constant', kind: 'metric', result: 'passed' }) >= 2);
  assert.equal(
    metricValue(exposition, 'wren_canary_checks_total', { ...podinfo, check: 'load-test', kind: 'webhook', result: 'passed' }),
    2,
  );
  assert.equal(metricValue(exposition, 'wren_canary_checks_total', { ...podinfo, result: 'failed' }), 0);
  assert.equal(
    metricValue(exposition, 'wren_canary_check_value', { ...podinfo, check: 'constant' }),
    3,
    'the constant the metric check read',
  );

  // Every wren_* name the dashboard mentions is one the operator exports.
  const dashboard = loadDashboard();
  const panels = queryPanels(dashboard);
  const exported = exportedNames(exposition);
  const mentioned = new Set(panels.flatMap(({ panel }) => (panel.targets ?? []).flatMap((target) => wrenMetricNames(target.expr))));
  const variableQuery = dashboard.templating.list.find((variable) => variable.name === 'namespace')?.definition ?? '';
  for (const name of wrenMetricNames(variableQuery)) mentioned.add(name);
  assert.ok(mentioned.size > 0);
  assert.deepEqual(
    [...mentioned].filter((name) => !exported.has(name)),
    [],
    'metric names in the dashboard that the operator does not export',
  );

  // Every query of every panel runs, as Grafana would send it (range or instant), without error.
  await waitForScrapes(prometheus.url);
  const end = Math.floor(Date.now() / 1000);
  const run = (expr: string, instant: boolean) =>
    instant
      ? promApi(prometheus.url, '/api/v1/query', { query: expr, time: String(end) })
      : promApi(prometheus.url, '/api/v1/query_range', { query: expr, start: String(end - 600), end: String(end), step: '5' });
  for (const { panel } of panels) {
    for (const target of panel.targets ?? []) {
      const expr = substitute(target.expr, { namespace });
      const answer = await run(expr, target.instant === true);
      assert.equal(answer.status, 'success', `${panel.title} ${target.refId}: ${expr}: ${answer.error}`);
    }
  }

  // The namespace variable lists the test namespace (label_values(selector, label) is Grafana's
  // call of the label values API).
  const [, selector, label] = variableQuery.match(/^label_values\((.*),\s*(\w+)\)$/) ?? [];
  assert.ok(selector && label, `the namespace variable's query ${variableQuery}`);
  await eventually('the namespace variable to list the test namespace', async () => {
    const answer = await promApi(prometheus.url, `/api/v1/label/${label}/values`, { 'match[]': selector });
    return answer.status === 'success' && (answer.data as string[]).includes(namespace);
  });

  // Each canary, GitSync and ImagePolicy panel shows this namespace's work (in at least one of its
  // queries: no canary was rolled back) once Prometheus has the samples.
  const ours = panels.filter(({ row }) => row === 'Canaries' || row === 'GitSync' || row === 'ImagePolicy');
  assert.ok(ours.length > 0);
  for (const { panel } of ours) {
    const exprs = (panel.targets ?? []).map((target) => substitute(target.expr, { namespace }));
    await eventually(`${panel.title} to show data for ${namespace}: ${exprs.join(' | ')}`, async () => {
      for (const expr of exprs) {
        const answer = await promApi(prometheus.url, '/api/v1/query', { query: expr });
        const result = (answer.data as { result: unknown[] } | undefined)?.result ?? [];
        if (answer.status === 'success' && result.length > 0) return true;
      }
      return false;
    });
  }
});
