// deploy/ installs cleanly, and the operator works with nothing more than its ServiceAccount's RBAC.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CANARIES, DEPLOYMENTS, LEASES } from '../../src/kube/resource-types.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { invalidCanary } from '../helpers/canary-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { OperatorProcess } from '../helpers/operator-process.ts';
import { serviceAccountKubeconfig } from '../helpers/service-account.ts';

const DEPLOY_DIR = fileURLToPath(new URL('../../deploy/', import.meta.url));
const SERVICE_ACCOUNT = 'system:serviceaccount:wren-system:wren';

async function removeOperatorInstall(cluster: TestCluster): Promise<void> {
  // Everything from deploy/ except the CRDs, which the other tests share.
  await cluster.kubectl(['delete', 'namespace', 'wren-system', '--ignore-not-found', '--timeout=120s']);
  await cluster.kubectl(['delete', 'clusterrolebinding,clusterrole', 'wren', 'wren-gitsync', '--ignore-not-found']);
}

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
  // RBAC refusals read 'User "system:serviceaccount:…" cannot <verb> resource …'. (Other 403s, such as
  // writes into namespaces that earlier tests are deleting, are not about permissions.)
  const forbidden = operator.logs.filter((line) => /cannot [a-z]+ resource/.test(JSON.stringify(line)));
  assert.deepEqual(forbidden, [], 'no request of the operator was refused by RBAC');
});
