// Credentials of a ServiceAccount, as the API server issues them (TokenRequest), so a test runs
// something with exactly the RBAC that account has and nothing more.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { pemFile } from '../../src/kube/cluster-access.ts';
import type { TestCluster } from './cluster.ts';

export async function serviceAccountToken(cluster: TestCluster, namespace: string, name: string): Promise<string> {
  return (await cluster.kubectl(['create', 'token', name, '-n', namespace, '--duration', '1h'])).trim();
}

/** A ServiceAccount and its token; with `verbs`, a Role and RoleBinding granting exactly those verbs on canaries. */
export async function canaryAccount(cluster: TestCluster, namespace: string, name: string, verbs: string[]): Promise<string> {
  await cluster.kubectl(['create', 'serviceaccount', name, '-n', namespace]);
  if (verbs.length > 0) await grant(cluster, namespace, name, verbs, 'canaries.wren.dev');
  return serviceAccountToken(cluster, namespace, name);
}

/** Lets the namespace's ServiceAccount `account` do `verbs` on `resource` there (a Role and RoleBinding named after both). */
export async function grant(cluster: TestCluster, namespace: string, account: string, verbs: string[], resource: string): Promise<void> {
  const role = `${account}-${resource.split('.')[0]}`;
  await cluster.kubectl(['create', 'role', role, '-n', namespace, `--verb=${verbs.join(',')}`, `--resource=${resource}`]);
  await cluster.kubectl(['create', 'rolebinding', role, '-n', namespace, `--role=${role}`, `--serviceaccount=${namespace}:${account}`]);
}

/** A kubeconfig that authenticates as the ServiceAccount with a bound token. */
export async function serviceAccountKubeconfig(cluster: TestCluster, namespace: string, name: string): Promise<string> {
  const token = await serviceAccountToken(cluster, namespace, name);
  const admin = cluster.access;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server: admin.server, 'certificate-authority': pemFile(admin.tls.ca) } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: 'local', user: name } }],
    'current-context': name,
  };
  const path = join(mkdtempSync(join(tmpdir(), 'wren-sa-')), 'kubeconfig');
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}
