// Credentials of a ServiceAccount, as the API server issues them (TokenRequest), so a test runs
// something with exactly the RBAC that account has and nothing more.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { TestCluster } from './cluster.ts';

export async function serviceAccountToken(cluster: TestCluster, namespace: string, name: string): Promise<string> {
  return (await cluster.kubectl(['create', 'token', name, '-n', namespace, '--duration', '1h'])).trim();
}

/** A kubeconfig that authenticates as the ServiceAccount with a bound token. */
export async function serviceAccountKubeconfig(cluster: TestCluster, namespace: string, name: string): Promise<string> {
  const token = await serviceAccountToken(cluster, namespace, name);
  const admin = cluster.kubeConfig.getCurrentCluster();
  assert.ok(admin);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server: admin.server, 'certificate-authority': admin.caFile } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: 'local', user: name } }],
    'current-context': name,
  };
  const path = join(mkdtempSync(join(tmpdir(), 'wren-sa-')), 'kubeconfig');
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}
