// deploy/ installs cleanly, and the built operator runs exactly as its manifest says (uid, read-only
// root, only the manifest's volumes writable, in-cluster credentials of its ServiceAccount) and does
// its work with nothing more than the shipped RBAC.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CANARIES, CONFIG_MAPS, DEPLOYMENTS, GIT_SYNCS, LEASES } from '../../src/kube/resource-types.ts';
import { appDeployment, canaryFor, getDeployment, imageOf, invalidCanary, setImage, waitForPhase } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { startGitRemote } from '../helpers/git-remote.ts';
import { configMapYaml, gitSyncFor, waitForApplied } from '../helpers/gitsync-fixtures.ts';
import { deploymentFromKustomization, runManifestPod } from '../helpers/manifest-pod.ts';
import { OperatorProcess, type LogLine } from '../helpers/operator-process.ts';
import { serviceAccountKubeconfig } from '../helpers/service-account.ts';

const DEPLOY_DIR = fileURLToPath(new URL('../../deploy/', import.meta.url));
const SERVICE_ACCOUNT = 'system:serviceaccount:wren-system:wren';

async function removeOperatorInstall(cluster: TestCluster): Promise<void> {
  // Everything from deploy/ except the CRDs, which the other tests share, and the namespace, which
  // the local data plane shares (its router's ServiceAccount and the Gateway "local" live there).
  const installed = parseAllDocuments(await cluster.kubectl(['kustomize', DEPLOY_DIR]))
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => !!object && !['CustomResourceDefinition', 'Namespace'].includes(object.kind ?? ''));
  await cluster.kubectl(['delete', '--ignore-not-found', '-f', '-'], installed.map((object) => `---\n${stringify(object)}`).join(''));
  await cluster.kubectl(['delete', 'leases', 'wren-operator', 'wren-sa-test', '-n', 'wren-system', '--ignore-not-found']);
}

/** RBAC refusals read 'User "system:serviceaccount:…" cannot <verb> resource …'. (Other 403s, such as
 * writes into namespaces that earlier tests are deleting, are not about permissions.) */
const refusedByRbac = (logs: LogLine[]) => logs.filter((line) => /cannot [a-z]+ resource/.test(JSON.stringify(line)));

const V1 = 'ghcr.io/example/podinfo:1.0.0';
const V2 = 'ghcr.io/example/podinfo:2.0.0';

test('the built operator runs as its manifest says and, with only the shipped RBAC, releases a canary and syncs a GitSync', async (t) => {
  const cluster = await useCluster();
  t.after(() => removeOperatorInstall(cluster));
  await cluster.kubectl(['apply', '--server-side', '-k', DEPLOY_DIR]);
  const deployment = await deploymentFromKustomization(cluster, DEPLOY_DIR, 'wren');
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const apiServerPort = Number(new URL(cluster.access.server).port);
  const gitPort = Number(new URL(remote.gitUrl).port);
  const operator = await runManifestPod(t, cluster, {
    deployment,
    podName: 'wren-5d8f7c9b6-x2x7q',
    hostPorts: [apiServerPort, gitPort],
    containerPorts: [8080],
  });
  await operator.waitForLog('the sandboxed operator to lead', (line) => line.msg === 'reconciling', 120_000);
  assert.equal((await operator.get(8080, '/readyz')).status, 200);
  const lease = await cluster.client.get<KubeObject & { spec?: { holderIdentity?: string } }>(LEASES, 'wren-system', 'wren-operator');
  assert.equal(lease.spec?.holderIdentity, 'wren-5d8f7c9b6-x2x7q', 'it leads under the pod name the manifest passes down');

  // A release, end to end.
  const namespace = await freshNamespace(t, cluster);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(CANARIES, canaryFor('podinfo', namespace, { iterations: 1 }));
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');
  await setImage(cluster, namespace, 'podinfo', V2);
  await waitForPhase(cluster, namespace, 'podinfo', 'Succeeded');
  assert.equal(imageOf(await getDeployment(cluster, namespace, 'podinfo-primary')), V2);

  // A tenant's GitSync, acting as the tenant's own ServiceAccount.
  await cluster.kubectl(['create', 'serviceaccount', 'deployer', '-n', namespace]);
  await cluster.kubectl([
    'create',
    'rolebinding',
    'deployer',
    '-n',
    namespace,
    '--clusterrole=edit',
    `--serviceaccount=${namespace}:deployer`,
  ]);
  const commit = await remote.commit({ 'apps/settings.yaml': configMapYaml('settings', { color: 'blue' }) });
  await cluster.client.create(GIT_SYNCS, gitSyncFor('apps', namespace, remote.gitUrl, { path: 'apps', serviceAccountName: 'deployer' }));
  const synced = await waitForApplied(cluster, namespace, 'apps', commit, 90_000);
  assert.equal(synced.status?.health, 'Healthy');
  const settings = await cluster.client.get<KubeObject & { data?: Record<string, string> }>(CONFIG_MAPS, namespace, 'settings');
  assert.deepEqual(settings.data, { color: 'blue' });

  assert.equal(operator.running, true, operator.tail());
  assert.deepEqual(refusedByRbac(operator.logs), [], 'no request of the operator was refused by RBAC');
  assert.deepEqual(
    operator.logs.filter((line) => /EROFS|read-only file system|EACCES/i.test(JSON.stringify(line))),
    [],
    "nothing tried to write outside the manifest's volumes",
  );
});

test('deploy/ applies cleanly and the operator Deployment becomes available', async (t) => {
  const cluster = await useCluster();
  t.after(() => removeOperatorInstall(cluster));
  const applied = await cluster.kubectl(['apply', '--server-side', '-k', DEPLOY_DIR]);
  assert.match(applied, /deployment.apps\/wren serverside-applied/);
  const available = await eventually('the operator Deployment to be available', async () => {
    const deployment = await cluster.client.get<KubeObject & { status?: { availableReplicas?: number } }>(
      DEPLOYMENTS,
      'wren-system',
      'wren',
    );
    return deployment.status?.availableReplicas === 2 ? deployment : undefined;
  });
  assert.equal(available.metadata?.name, 'wren');
});

test('the operator runs with only its least-privilege ServiceAccount', async (t) => {
  const cluster = await useCluster();
  t.after(() => removeOperatorInstall(cluster));
  await cluster.kubectl(['apply', '--server-side', '-k', DEPLOY_DIR]);
  // GitSync's binding grants every kind (it applies what Git holds); without it, rbac.yaml alone
  // must carry the canary engine.
  await cluster.kubectl(['delete', 'clusterrolebinding', 'wren-gitsync']);
  const namespace = await freshNamespace(t, cluster);

  const canDo = async (verb: string, resource: string, where: string[] = []) =>
    (await cluster.kubectl(['auth', 'can-i', verb, resource, '--as', SERVICE_ACCOUNT, ...where]).catch((e: Error) => e.message)).trim();
  assert.equal(await canDo('watch', 'canaries.wren.dev', ['-A']), 'yes');
  assert.equal(await canDo('patch', 'canaries.wren.dev', ['--subresource=status', '-n', namespace]), 'yes');
  assert.match(await canDo('delete', 'canaries.wren.dev', ['-n', namespace]), /no/, 'users own their Canaries');
  assert.match(await canDo('delete', 'pods', ['-n', namespace]), /no/);
  assert.match(await canDo('delete', 'deployments', ['-n', namespace]), /no/, 'generated objects go by garbage collection');
  assert.match(await canDo('update', 'leases', ['-n', namespace]), /no/, 'leases only in its own namespace');

  const kubeconfig = await serviceAccountKubeconfig(cluster, 'wren-system', 'wren');
  const operator = new OperatorProcess(kubeconfig, ['--lease-name', 'wren-sa-test'], { POD_NAMESPACE: 'wren-system' });
  t.after(() => operator.stop());
  await operator.waitForLog('the operator to lead', (line) => line.msg === 'reconciling');
  const lease = await cluster.client.get<KubeObject & { spec?: { holderIdentity?: string } }>(LEASES, 'wren-system', 'wren-sa-test');
  assert.ok(lease.spec?.holderIdentity);

  await cluster.client.create(CANARIES, invalidCanary('rbac-check', namespace));
  const reason = await eventually('the Canary to be reported by the ServiceAccount-bound operator', async () => {
    const canary = await cluster.client.get<KubeObject & { status?: { conditions?: { reason: string }[] } }>(
      CANARIES,
      namespace,
      'rbac-check',
    );
    return canary.status?.conditions?.[0]?.reason;
  });
  assert.equal(reason, 'InvalidSpec');
  assert.deepEqual(refusedByRbac(operator.logs), [], 'no request of the operator was refused by RBAC');
});
