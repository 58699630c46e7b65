// GitSync tenancy as Flux does it: a GitSync without a ServiceAccount touches only its own namespace;
// with spec.serviceAccountName every write is made as that account (impersonation), so the API
// server's RBAC decides. The operator here runs cluster-wide with admin rights: whatever the tenant
// could borrow from it, these tests would see.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GitSync } from '../../src/api/git-sync.ts';
import { findCondition } from '../../src/api/conditions.ts';
import { isNotFound } from '../../src/kube/api-error.ts';
import type { ResourceType } from '../../src/kube/resource-types.ts';
import { CONFIG_MAPS, GIT_SYNCS } from '../../src/kube/resource-types.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { startGitRemote } from '../helpers/git-remote.ts';
import { configMapYaml, getGitSync, gitSyncFor, waitForApplied } from '../helpers/gitsync-fixtures.ts';
import { OperatorProcess } from '../helpers/operator-process.ts';

const CLUSTER_ROLES: ResourceType = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  namespaced: false,
};

function clusterRoleYaml(name: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}\nrules:\n  - apiGroups: [""]\n    resources: ["configmaps"]\n    verbs: ["get"]\n`;
}

async function exists(cluster: TestCluster, type: ResourceType, namespace: string | undefined, name: string): Promise<boolean> {
  try {
    await cluster.client.get(type, namespace, name);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function waitForNotReady(
  cluster: TestCluster,
  namespace: string,
  name: string,
): Promise<NonNullable<ReturnType<typeof findCondition>>> {
  return eventually(`GitSync ${name} to report why it did not sync`, async () => {
    const sync = await getGitSync(cluster, namespace, name);
    const ready = findCondition(sync.status?.conditions, 'Ready');
    return ready?.status === 'False' ? ready : undefined;
  });
}

/** An operator that watches every namespace (a tenant's objects may live anywhere), leading on a Lease in `leaseNamespace`. */
function clusterWideOperator(
  t: { after(fn: () => Promise<unknown>): void },
  cluster: TestCluster,
  leaseNamespace: string,
  args: string[] = [],
) {
  const operator = new OperatorProcess(cluster.kubeconfigPath, ['--lease-namespace', leaseNamespace, ...args]);
  t.after(() => operator.stop());
  return operator;
}

test('a GitSync without a ServiceAccount cannot create objects in another namespace nor a ClusterRole', async (t) => {
  const cluster = await useCluster();
  const tenantA = await freshNamespace(t, cluster, 'tenant-a');
  const tenantB = await freshNamespace(t, cluster, 'tenant-b');
  const clusterRole = `stolen-${tenantA}`;
  t.after(() => cluster.client.delete(CLUSTER_ROLES, undefined, clusterRole).catch(() => undefined));
  const remote = await startGitRemote();
  t.after(() => remote.close());
  await remote.commit({
    'other/configmap.yaml': configMapYaml('planted', { owner: 'tenant-a' }).replace('metadata:\n', `metadata:\n  namespace: ${tenantB}\n`),
    'cluster/role.yaml': clusterRoleYaml(clusterRole),
    'own/configmap.yaml': configMapYaml('settings', { color: 'blue' }),
  });
  clusterWideOperator(t, cluster, tenantA);
  await cluster.client.create(GIT_SYNCS, gitSyncFor('other', tenantA, remote.gitUrl, { path: 'other' }));
  await cluster.client.create(GIT_SYNCS, gitSyncFor('cluster', tenantA, remote.gitUrl, { path: 'cluster' }));
  await cluster.client.create(GIT_SYNCS, gitSyncFor('elsewhere', tenantA, remote.gitUrl, { path: 'own', targetNamespace: tenantB }));
  await cluster.client.create(GIT_SYNCS, gitSyncFor('own', tenantA, remote.gitUrl, { path: 'own' }));

  const other = await waitForNotReady(cluster, tenantA, 'other');
  assert.equal(other.reason, 'AuthorizeFailed');
  assert.match(other.message ?? '', new RegExp(`ConfigMap ${tenantB}/planted: namespace ${tenantB} is not the GitSync's own`));
  const role = await waitForNotReady(cluster, tenantA, 'cluster');
  assert.equal(role.reason, 'AuthorizeFailed');
  assert.match(role.message ?? '', new RegExp(`ClusterRole ${clusterRole} is cluster-scoped`));
  const elsewhere = await waitForNotReady(cluster, tenantA, 'elsewhere');
  assert.equal(elsewhere.reason, 'NotAllowed');
  assert.match(elsewhere.message ?? '', /spec\.targetNamespace/);
  const own = await eventually('the in-namespace GitSync to apply', async () => {
    const sync = await getGitSync(cluster, tenantA, 'own');
    return sync.status?.lastAppliedRevision ? sync : undefined;
  });
  assert.equal(findCondition(own.status?.conditions, 'Ready')?.status, 'True', 'its own namespace is fine');

  assert.equal(await exists(cluster, CONFIG_MAPS, tenantB, 'planted'), false, 'nothing was created in the other namespace');
  assert.equal(await exists(cluster, CONFIG_MAPS, tenantB, 'settings'), false);
  assert.equal(await exists(cluster, CLUSTER_ROLES, undefined, clusterRole), false, 'no ClusterRole was created');
});

test('with a ServiceAccount the API server decides: refused without the rights, applied and pruned with them', async (t) => {
  const cluster = await useCluster();
  const tenantA = await freshNamespace(t, cluster, 'tenant-a');
  const tenantB = await freshNamespace(t, cluster, 'tenant-b');
  const clusterRole = `granted-${tenantA}`;
  const remote = await startGitRemote();
  t.after(() => remote.close());
  t.after(() => cluster.kubectl(['delete', 'clusterrole,clusterrolebinding', clusterRole, `deployer-${tenantA}`, '--ignore-not-found']));
  await cluster.kubectl(['create', 'serviceaccount', 'deployer', '-n', tenantA]);
  const first = await remote.commit({
    'apps/configmap.yaml': configMapYaml('planted', { owner: 'tenant-a' }).replace('metadata:\n', `metadata:\n  namespace: ${tenantB}\n`),
    'apps/role.yaml': clusterRoleYaml(clusterRole),
  });
  clusterWideOperator(t, cluster, tenantA);
  await cluster.client.create(GIT_SYNCS, gitSyncFor('apps', tenantA, remote.gitUrl, { path: 'apps', serviceAccountName: 'deployer' }));

  const refused = await waitForNotReady(cluster, tenantA, 'apps');
  assert.equal(refused.reason, 'DryRunFailed');
  assert.match(
    refused.message ?? '',
    new RegExp(`system:serviceaccount:${tenantA}:deployer.* cannot`),
    'refused by RBAC, as the ServiceAccount',
  );
  assert.equal(await exists(cluster, CONFIG_MAPS, tenantB, 'planted'), false);
  assert.equal(await exists(cluster, CLUSTER_ROLES, undefined, clusterRole), false);

  // The platform team grants the tenant's deployer what it needs, in namespace B and for ClusterRoles.
  await cluster.kubectl(['create', 'rolebinding', 'deployer', '-n', tenantB, '--clusterrole=edit', `--serviceaccount=${tenantA}:deployer`]);
  await cluster.kubectl([
    'create',
    'clusterrole',
    `deployer-${tenantA}`,
    '--verb=get,list,watch,create,patch,update,delete,escalate,bind',
    '--resource=clusterroles',
  ]);
  await cluster.kubectl([
    'create',
    'clusterrolebinding',
    `deployer-${tenantA}`,
    `--clusterrole=deployer-${tenantA}`,
    `--serviceaccount=${tenantA}:deployer`,
  ]);
  await cluster.kubectl(['annotate', 'gitsync', 'apps', '-n', tenantA, `wren.dev/requested-at=${new Date().toISOString()}`]);
  const applied = await waitForApplied(cluster, tenantA, 'apps', first, 90_000);
  assert.equal(applied.status?.health, 'Healthy');
  const planted = await cluster.client.get(CONFIG_MAPS, tenantB, 'planted');
  const managers = (planted.metadata as { managedFields?: { manager?: string }[] }).managedFields?.map((field) => field.manager);
  assert.ok(managers?.includes('wren'), 'applied by Wren');
  assert.equal(await exists(cluster, CLUSTER_ROLES, undefined, clusterRole), true);

  // Prune goes through the ServiceAccount too.
  const second = await remote.commit({ 'apps/role.yaml': null });
  await waitForApplied(cluster, tenantA, 'apps', second, 90_000);
  assert.equal(await exists(cluster, CLUSTER_ROLES, undefined, clusterRole), false, 'pruned by the ServiceAccount');
  const audit = (await getGitSync(cluster, tenantA, 'apps')) as GitSync;
  assert.deepEqual(
    audit.status?.inventory?.map((ref) => `${ref.kind} ${ref.namespace ?? ''}/${ref.name}`),
    [`ConfigMap ${tenantB}/planted`],
  );
});

test("--cluster-wide-gitsyncs lets the platform team's GitSyncs in the operator namespace apply cluster-scoped objects", async (t) => {
  const cluster = await useCluster();
  const platform = await freshNamespace(t, cluster, 'platform');
  const tenant = await freshNamespace(t, cluster, 'tenant');
  const clusterRole = `platform-${platform}`;
  t.after(() => cluster.client.delete(CLUSTER_ROLES, undefined, clusterRole).catch(() => undefined));
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const commit = await remote.commit({ 'base/role.yaml': clusterRoleYaml(clusterRole) });
  clusterWideOperator(t, cluster, platform, ['--cluster-wide-gitsyncs']);
  await cluster.client.create(GIT_SYNCS, gitSyncFor('base', platform, remote.gitUrl, { path: 'base' }));
  await cluster.client.create(GIT_SYNCS, gitSyncFor('base', tenant, remote.gitUrl, { path: 'base' }));
  await waitForApplied(cluster, platform, 'base', commit);
  assert.equal(await exists(cluster, CLUSTER_ROLES, undefined, clusterRole), true);
  const tenantSync = await waitForNotReady(cluster, tenant, 'base');
  assert.equal(tenantSync.reason, 'AuthorizeFailed', 'other namespaces stay confined');
});
