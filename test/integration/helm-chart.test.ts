// The Helm chart with the real helm the project builds from its Go module: it lints strictly, renders
// the same objects as deploy/ (and as each kustomize component when its value is on), and installs
// into the local cluster, where the built operator runs from the installed Deployment with only the
// chart's RBAC; `helm uninstall` then removes every object it made.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CANARIES, DEPLOYMENTS, LEASES } from '../../src/kube/resource-types.ts';
import { ensureBinaries } from '../../src/localcluster/build-binaries.ts';
import { runChecked, runCommand } from '../../src/localcluster/run-command.ts';
import type { Deployment } from '../../src/workload/workload-types.ts';
import { invalidCanary } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { runManifestPod } from '../helpers/manifest-pod.ts';
import type { LogLine } from '../helpers/operator-process.ts';

const CHART_DIR = fileURLToPath(new URL('../../charts/wren/', import.meta.url));
const DEPLOY_DIR = fileURLToPath(new URL('../../deploy/', import.meta.url));

/** Labels only a Helm release carries; deploy/ has none of them, everything else must match. */
const HELM_LABELS = ['helm.sh/chart', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/instance', 'app.kubernetes.io/version'];

let helm: string;
let kubectl: string;

before(async () => {
  const binaries = await ensureBinaries((message) => process.stderr.write(`# ${message}\n`));
  helm = binaries.helm ?? assert.fail('ensureBinaries built no helm');
  kubectl = binaries.kubectl ?? assert.fail('ensureBinaries built no kubectl');
});

const parseObjects = (text: string): KubeObject[] =>
  parseAllDocuments(text)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => !!object);

const keyOf = (object: KubeObject) => `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;

function byKey(objects: KubeObject[]): Map<string, KubeObject> {
  const map = new Map<string, KubeObject>();
  for (const object of objects) {
    assert.ok(!map.has(keyOf(object)), `${keyOf(object)} is rendered twice`);
    map.set(keyOf(object), object);
  }
  return map;
}

/** The object without the labels a Helm release adds (and only those). */
function withoutHelmLabels(object: KubeObject): KubeObject {
  const labels = Object.fromEntries(Object.entries(object.metadata?.labels ?? {}).filter(([key]) => !HELM_LABELS.includes(key)));
  const { labels: _all, ...rest } = object.metadata ?? {};
  return { ...object, metadata: Object.keys(labels).length ? { ...rest, labels } : rest };
}

interface TemplateOptions {
  chart?: string;
  release?: string;
  namespace?: string;
  valuesFile?: string;
  includeCrds?: boolean;
}

/** `helm template`, by default of the repository's chart as release "wren" in wren-system with its CRDs. */
async function helmTemplate(values: string[], options: TemplateOptions = {}): Promise<KubeObject[]> {
  const args = ['template', options.release ?? 'wren', options.chart ?? CHART_DIR, '--namespace', options.namespace ?? 'wren-system'];
  if (options.includeCrds ?? true) args.push('--include-crds');
  if (options.valuesFile) args.push('--values', options.valuesFile);
  return parseObjects(await runChecked(helm, [...args, ...values.flatMap((value) => ['--set', value])]));
}

/** `kubectl kustomize` of deploy/ with the given components, through an overlay in a temporary directory. */
async function kustomize(components: string[]): Promise<KubeObject[]> {
  const overlay = mkdtempSync(join(tmpdir(), 'wren-helm-overlay-'));
  try {
    const path = (dir: string) => relative(overlay, join(DEPLOY_DIR, dir));
    const kustomization = { resources: [path('.')], components: components.map((name) => path(`components/${name}`)) };
    writeFileSync(join(overlay, 'kustomization.yaml'), stringify(kustomization));
    return parseObjects(await runChecked(kubectl, ['kustomize', overlay]));
  } finally {
    rmSync(overlay, { recursive: true, force: true });
  }
}

/** Object by object: the same set of objects, and each one equal field by field. */
function assertSameObjects(rendered: KubeObject[], expected: KubeObject[]): void {
  const chart = byKey(rendered.map(withoutHelmLabels));
  const kustomized = byKey(expected.filter((object) => object.kind !== 'Namespace'));
  assert.deepEqual([...chart.keys()].sort(), [...kustomized.keys()].sort(), 'the chart renders the same objects');
  for (const [key, object] of kustomized) assert.deepEqual(chart.get(key), object, `${key} differs`);
}

test('helm lint --strict passes for the chart, with its defaults and with every option on', async () => {
  const everything = [
    'serviceMonitor.enabled=true',
    'gitsync.clusterAdmin=true',
    'gitsync.vaultKubernetesAuth=true',
    'grafanaDashboard.enabled=true',
  ];
  for (const values of [[], everything]) {
    const result = await runCommand(helm, ['lint', '--strict', CHART_DIR, ...values.flatMap((value) => ['--set', value])]);
    assert.equal(result.code, 0, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  }
});

// Each value of the chart against the kustomize component that adds the same objects.
const VARIANTS: { name: string; values: string[]; components: string[] }[] = [
  { name: 'default values and deploy/', values: [], components: [] },
  { name: 'serviceMonitor.enabled and components/servicemonitor', values: ['serviceMonitor.enabled=true'], components: ['servicemonitor'] },
  {
    name: 'gitsync.clusterAdmin and components/gitsync-cluster-admin (its binding and --cluster-wide-gitsyncs)',
    values: ['gitsync.clusterAdmin=true'],
    components: ['gitsync-cluster-admin'],
  },
  {
    name: 'gitsync.vaultKubernetesAuth and components/vault-kubernetes-auth',
    values: ['gitsync.vaultKubernetesAuth=true'],
    components: ['vault-kubernetes-auth'],
  },
  {
    name: 'all three values and all three components',
    values: ['serviceMonitor.enabled=true', 'gitsync.clusterAdmin=true', 'gitsync.vaultKubernetesAuth=true'],
    components: ['servicemonitor', 'gitsync-cluster-admin', 'vault-kubernetes-auth'],
  },
];

for (const variant of VARIANTS) {
  test(`helm template renders the same objects as kubectl kustomize, field by field, but for Helm's own labels and the Namespace: ${variant.name}`, async () => {
    assertSameObjects(await helmTemplate(variant.values), await kustomize(variant.components));
  });
}

test("without gitsync.rbac the GitSync ClusterRole and binding are left out, as if deploy/rbac-gitsync.yaml weren't applied", async () => {
  const rendered = (await helmTemplate(['gitsync.rbac=false'])).map(keyOf);
  const all = (await helmTemplate([])).map(keyOf);
  assert.deepEqual(
    all.filter((key) => !rendered.includes(key)),
    ['ClusterRole//wren-gitsync', 'ClusterRoleBinding//wren-gitsync'],
  );
});

test('a release with another name prefixes every name and binds the ServiceAccount of its own namespace', async () => {
  const rendered = await helmTemplate(['gitsync.clusterAdmin=true'], { release: 'wren-prod', namespace: 'platform' });
  const names = rendered.filter((object) => object.kind !== 'CustomResourceDefinition').map((object) => object.metadata?.name ?? '');
  assert.deepEqual(
    names.filter((name) => !name.startsWith('wren-prod')),
    [],
  );
  for (const binding of rendered.filter((object) => object.kind?.endsWith('Binding'))) {
    assert.deepEqual((binding as { subjects?: unknown }).subjects, [{ kind: 'ServiceAccount', name: 'wren-prod', namespace: 'platform' }]);
  }
});

test('grafanaDashboard.enabled renders one ConfigMap per dashboards/*.json, with the Grafana sidecar label and the file as its data', async () => {
  const configMaps = (objects: KubeObject[]) => objects.filter((object) => object.kind === 'ConfigMap');
  // The repository's chart: as many ConfigMaps as dashboards it ships, none when the value is off.
  const shipped = readdirSync(join(CHART_DIR, 'dashboards')).filter((name) => name.endsWith('.json'));
  assert.equal(configMaps(await helmTemplate(['grafanaDashboard.enabled=true'])).length, shipped.length);
  assert.deepEqual(configMaps(await helmTemplate([])), []);

  // A copy of the chart with two dashboards of its own.
  const copy = mkdtempSync(join(tmpdir(), 'wren-helm-chart-'));
  try {
    cpSync(CHART_DIR, copy, { recursive: true });
    rmSync(join(copy, 'dashboards'), { recursive: true });
    cpSync(join(CHART_DIR, 'dashboards'), join(copy, 'dashboards'), { recursive: true, filter: (source) => !source.endsWith('.json') });
    const releases = JSON.stringify(
      { title: 'Releases', panels: [{ title: 'weight <%>', targets: [{ expr: 'wren_canary_weight' }] }] },
      null,
      2,
    );
    const sync = JSON.stringify({ title: 'Git sync', panels: [] });
    writeFileSync(join(copy, 'dashboards', 'releases.json'), releases);
    writeFileSync(join(copy, 'dashboards', 'Git_Sync.json'), sync);
    const rendered = configMaps(await helmTemplate(['grafanaDashboard.enabled=true'], { chart: copy }));
    assert.deepEqual(
      rendered.map((object) => ({
        name: object.metadata?.name,
        namespace: object.metadata?.namespace,
        sidecar: object.metadata?.labels?.grafana_dashboard,
        data: (object as { data?: Record<string, string> }).data,
      })),
      [
        { name: 'wren-dashboard-git-sync', namespace: 'wren-system', sidecar: '1', data: { 'Git_Sync.json': sync } },
        { name: 'wren-dashboard-releases', namespace: 'wren-system', sidecar: '1', data: { 'releases.json': releases } },
      ],
    );
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

/** RBAC refusals read 'User "system:serviceaccount:…" cannot <verb> resource …'. */
const refusedByRbac = (logs: LogLine[]) => logs.filter((line) => /cannot [a-z]+ resource/.test(JSON.stringify(line)));

async function liveObjects(cluster: TestCluster, manifest: string): Promise<KubeObject[]> {
  const listed = JSON.parse(await cluster.kubectl(['get', '--ignore-not-found', '-o', 'json', '-f', '-'], manifest)) as {
    items?: KubeObject[];
  };
  return listed.items ?? [listed as KubeObject];
}

test('helm install into a fresh namespace: the API server accepts every object (opt-in RBAC by server dry-run), the built operator runs from the installed Deployment with only the chart RBAC, and helm uninstall removes it all', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster, 'helm');
  const release = `wren-it-${randomBytes(3).toString('hex')}`; // names differ from deploy/'s "wren" objects
  const helmIn = (args: string[]) => runChecked(helm, ['--kubeconfig', cluster.kubeconfigPath, '--namespace', namespace, ...args]);
  const valuesDir = mkdtempSync(join(tmpdir(), 'wren-helm-values-'));
  t.after(() => rmSync(valuesDir, { recursive: true, force: true }));
  // The operator watches only its namespace, so it leaves the objects of other tests alone.
  const valuesFile = join(valuesDir, 'values.yaml');
  writeFileSync(valuesFile, stringify({ extraArgs: [`--watch-namespace=${namespace}`] }));

  // The CRDs are shared with every other test (installed from src/api, as crds/ and the chart's crds/
  // are; a unit test keeps those identical), so the release skips them; the API server still checks
  // the chart's copies.
  await cluster.kubectl(['apply', '--server-side', '--dry-run=server', '--force-conflicts', '-f', join(CHART_DIR, 'crds')]);
  // The opt-in RBAC too (not installed: the operator below runs with the default, least-privilege
  // RBAC). The ServiceMonitor is left out: the local cluster has no Prometheus Operator CRDs.
  const optIn = await helmTemplate(['gitsync.clusterAdmin=true', 'gitsync.vaultKubernetesAuth=true'], {
    release,
    namespace,
    includeCrds: false,
  });
  await cluster.kubectl(
    ['apply', '--server-side', '--dry-run=server', '-f', '-'],
    optIn.map((object) => `---\n${stringify(object)}`).join(''),
  );
  t.after(() =>
    runCommand(helm, ['--kubeconfig', cluster.kubeconfigPath, '--namespace', namespace, 'uninstall', release, '--ignore-not-found']),
  );
  await helmIn(['install', release, CHART_DIR, '--skip-crds', '--values', valuesFile, '--wait', '--timeout', '5m']);

  const manifest = await helmIn(['get', 'manifest', release]);
  const installed = parseObjects(manifest);
  const rendered = await helmTemplate([], { release, namespace, valuesFile, includeCrds: false });
  assert.deepEqual(byKey(installed), byKey(rendered), 'the release holds what helm template renders');
  const live = await liveObjects(cluster, manifest);
  assert.deepEqual(live.map(keyOf).sort(), installed.map(keyOf).sort(), 'every object of the release is in the API server');
  for (const object of live) assert.equal(object.metadata?.labels?.['app.kubernetes.io/managed-by'], 'Helm', keyOf(object));
  const deployment = await cluster.client.get<Deployment & { status?: { availableReplicas?: number } }>(DEPLOYMENTS, namespace, release);
  assert.equal(deployment.status?.availableReplicas, 2, 'both replicas of the installed Deployment are available');

  // The built operator, run exactly as the installed Deployment says, with the chart's ServiceAccount.
  const podName = `${release}-6b7c9d8f5-q4z2x`;
  const apiServerPort = Number(new URL(cluster.access.server).port);
  const operator = await runManifestPod(t, cluster, { deployment, podName, hostPorts: [apiServerPort], containerPorts: [8080] });
  await operator.waitForLog('the operator from the chart to lead', (line) => line.msg === 'reconciling', 120_000);
  assert.equal((await operator.get(8080, '/readyz')).status, 200);
  const lease = await cluster.client.get<KubeObject & { spec?: { holderIdentity?: string } }>(LEASES, namespace, 'wren-operator');
  assert.equal(lease.spec?.holderIdentity, podName, 'it leads with a Lease in the release namespace');
  await cluster.client.create(CANARIES, invalidCanary('chart-rbac', namespace));
  const reason = await eventually('the Canary to be reported by the operator the chart installed', async () => {
    const canary = await cluster.client.get<KubeObject & { status?: { conditions?: { reason: string }[] } }>(
      CANARIES,
      namespace,
      'chart-rbac',
    );
    return canary.status?.conditions?.[0]?.reason;
  });
  assert.equal(reason, 'InvalidSpec');
  assert.deepEqual(refusedByRbac(operator.logs), [], 'no request of the operator was refused by RBAC');
  await operator.stop();

  await helmIn(['uninstall', release, '--wait', '--timeout', '2m']);
  const left = await cluster.kubectl(['get', '--ignore-not-found', '-o', 'name', '-f', '-'], manifest);
  assert.equal(left.trim(), '', 'helm uninstall removed every object of the release, the cluster-wide RBAC included');
});
