// GitSync features end to end against real parts: webhook trigger, Kustomize with image overrides and
// substitution, SOPS and placeholder secrets, rollback, dependsOn with a Helm chart.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findCondition } from '../../src/api/conditions.ts';
import { isNotFound } from '../../src/kube/api-error.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CONFIG_MAPS, DEPLOYMENTS, EVENTS, GIT_SYNCS, SECRETS } from '../../src/kube/resource-types.ts';
import { REQUESTED_AT_ANNOTATION } from '../../src/gitsync/sync-request.ts';
import { imageOf } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { startGitRemote } from '../helpers/git-remote.ts';
import { configMapYaml, deploymentYaml, getGitSync, gitSyncFor, waitForApplied, waitForFailure } from '../helpers/gitsync-fixtures.ts';
import { operatorFor } from '../helpers/operator-process.ts';
import { newAgeKey, sopsEncrypt } from '../helpers/sops-tools.ts';

type DataObject = KubeObject & { data?: Record<string, string> };
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

async function wren(cluster: TestCluster, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [MAIN, ...args, '--kubeconfig', cluster.kubeconfigPath], {
    encoding: 'utf8',
  });
  return stdout;
}

const secretValue = async (cluster: TestCluster, namespace: string, name: string, key: string) =>
  Buffer.from((await cluster.client.get<DataObject>(SECRETS, namespace, name)).data?.[key] ?? '', 'base64').toString('utf8');

test('a verified push webhook syncs at once; an unverified one changes nothing', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const first = await remote.commit({ 'cm.yaml': configMapYaml('hooked', { v: '1' }) });
  await cluster.client.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'wren-git-webhook', namespace },
    stringData: { token: 'hook-secret' },
  });
  const operator = operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(GIT_SYNCS, gitSyncFor('hooked', namespace, remote.gitUrl, { interval: '1h' }));
  await waitForApplied(cluster, namespace, 'hooked', first);

  const second = await remote.commit({ 'cm.yaml': configMapYaml('hooked', { v: '2' }) });
  const body = JSON.stringify({ ref: 'refs/heads/main', repository: { clone_url: remote.gitUrl } });
  const port = await operator.httpPort();
  const post = (signature: string) =>
    fetch(`http://127.0.0.1:${port}/hooks/git`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': signature },
      body,
    });
  const forged = await post(`sha256=${createHmac('sha256', 'wrong-secret').update(body).digest('hex')}`);
  assert.equal(forged.status, 401);
  assert.equal(
    (await getGitSync(cluster, namespace, 'hooked')).metadata?.annotations?.[REQUESTED_AT_ANNOTATION],
    undefined,
    'no sync was requested',
  );

  const verified = await post(`sha256=${createHmac('sha256', 'hook-secret').update(body).digest('hex')}`);
  assert.equal(verified.status, 202);
  assert.deepEqual(await verified.json(), { synced: [`${namespace}/hooked`] });
  await waitForApplied(cluster, namespace, 'hooked', second);
  assert.equal((await cluster.client.get<DataObject>(CONFIG_MAPS, namespace, 'hooked')).data?.v, '2');
});

test('kustomize output gets image overrides and substituted variables; a missing variable applies nothing', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const files = (color: string) => ({
    'overlay/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - settings.yaml\nnamePrefix: shop-\n',
    'overlay/deployment.yaml': deploymentYaml('web', 'ghcr.io/example/web:1.0.0'),
    'overlay/settings.yaml': configMapYaml('settings', { color, region: '${REGION:=eu-west-1}', cluster: '${CLUSTER_NAME}' }),
  });
  const first = await remote.commit(files('${COLOR}'));
  await cluster.client.create(CONFIG_MAPS, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cluster-vars', namespace },
    data: { COLOR: 'teal', CLUSTER_NAME: 'prod-1' },
  });
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(
    GIT_SYNCS,
    gitSyncFor('shop', namespace, remote.gitUrl, {
      path: 'overlay',
      images: [{ name: 'ghcr.io/example/web', newTag: '1.1.0' }],
      postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars' }] },
    }),
  );
  await waitForApplied(cluster, namespace, 'shop', first);
  assert.equal(
    imageOf(await cluster.client.get(DEPLOYMENTS, namespace, 'shop-web')),
    'ghcr.io/example/web:1.1.0',
    'the override replaced the tag without a commit',
  );
  assert.deepEqual((await cluster.client.get<DataObject>(CONFIG_MAPS, namespace, 'shop-settings')).data, {
    color: 'teal',
    region: 'eu-west-1',
    cluster: 'prod-1',
  });

  await cluster.client.mergePatch(GIT_SYNCS, namespace, 'shop', { spec: { images: [{ name: 'ghcr.io/example/web', newTag: '1.2.0' }] } });
  await eventually(
    'the new override to be applied',
    async () => imageOf(await cluster.client.get(DEPLOYMENTS, namespace, 'shop-web')) === 'ghcr.io/example/web:1.2.0',
  );

  const missing = await remote.commit({ 'overlay/settings.yaml': configMapYaml('settings', { color: '${COLOUR}' }) });
  const failed = await waitForFailure(cluster, namespace, 'shop', 'SubstituteFailed');
  assert.equal(failed.status?.lastAttemptedRevision, missing);
  assert.match(findCondition(failed.status?.conditions, 'Ready')?.message ?? '', /COLOUR/);
  assert.equal(
    (await cluster.client.get<DataObject>(CONFIG_MAPS, namespace, 'shop-settings')).data?.color,
    'teal',
    'the last good state stays',
  );
});

test('SOPS-encrypted and placeholder secrets are applied decrypted; no value reaches status or events', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const key = await newAgeKey();
  const encrypted = await sopsEncrypt(
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: s3cr3t-from-sops\n',
    key.recipient,
  );
  assert.doesNotMatch(encrypted, /s3cr3t-from-sops/);
  const placeholders = [
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n  annotations:\n    avp.kubernetes.io/path: vault-source\nstringData:\n  token: <api-token>',
    '  url: https://user:<path:vault-source#api-token>@api.example',
  ].join('\n');
  const first = await remote.commit({ 'secrets/db.yaml': encrypted, 'secrets/api.yaml': `${placeholders}\n` });
  await cluster.client.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'sops-age', namespace },
    stringData: { 'age.agekey': key.identity },
  });
  await cluster.client.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'vault-source', namespace },
    stringData: { 'api-token': 'tok-from-backend' },
  });
  const operator = operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(
    GIT_SYNCS,
    gitSyncFor('secrets', namespace, remote.gitUrl, {
      path: 'secrets',
      decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
      placeholders: { backend: 'kubernetes' },
    }),
  );
  await waitForApplied(cluster, namespace, 'secrets', first);
  assert.equal(await secretValue(cluster, namespace, 'db', 'password'), 's3cr3t-from-sops');
  assert.equal(await secretValue(cluster, namespace, 'api', 'token'), 'tok-from-backend');
  assert.equal(await secretValue(cluster, namespace, 'api', 'url'), 'https://user:tok-from-backend@api.example');
  const db = await cluster.client.get<KubeObject>(SECRETS, namespace, 'db');
  assert.equal(db.sops, undefined, 'no sops metadata on the applied Secret');

  const tampered = await remote.commit({
    'secrets/db.yaml': encrypted.replace(/ENC\[AES256_GCM,data:[^,]+/, 'ENC[AES256_GCM,data:AAAAAAAAAAAA'),
  });
  const failed = await waitForFailure(cluster, namespace, 'secrets', 'DecryptFailed');
  assert.equal(failed.status?.lastAttemptedRevision, tampered);
  assert.match(findCondition(failed.status?.conditions, 'Ready')?.message ?? '', /secrets\/db\.yaml/);
  assert.equal(await secretValue(cluster, namespace, 'db', 'password'), 's3cr3t-from-sops', 'the last good Secret stays');

  const everything = JSON.stringify([
    await getGitSync(cluster, namespace, 'secrets'),
    (await cluster.client.list(EVENTS, namespace)).items,
    operator.logs,
  ]);
  for (const value of ['s3cr3t-from-sops', 'tok-from-backend', key.identity])
    assert.ok(!everything.includes(value), 'a secret value leaked into status, events or logs');
});

test('rollback holds an earlier revision until resumed', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const first = await remote.commit({ 'cm.yaml': configMapYaml('release', { version: '1' }) });
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(GIT_SYNCS, gitSyncFor('rel', namespace, remote.gitUrl));
  await waitForApplied(cluster, namespace, 'rel', first);
  const second = await remote.commit({ 'cm.yaml': configMapYaml('release', { version: '2' }) });
  await waitForApplied(cluster, namespace, 'rel', second);

  const output = await wren(cluster, 'sync', 'rollback', 'rel', '-n', namespace);
  assert.match(output, new RegExp(first.slice(0, 7)));
  const rolledBack = await waitForApplied(cluster, namespace, 'rel', first);
  assert.equal(rolledBack.status?.history?.[0]?.trigger, 'rollback');
  assert.equal(findCondition(rolledBack.status?.conditions, 'Ready')?.reason, 'RolledBack');
  assert.equal((await cluster.client.get<DataObject>(CONFIG_MAPS, namespace, 'release')).data?.version, '1');

  const third = await remote.commit({ 'cm.yaml': configMapYaml('release', { version: '3' }) });
  await new Promise((resolve) => setTimeout(resolve, 5000)); // two polling intervals
  assert.equal((await cluster.client.get<DataObject>(CONFIG_MAPS, namespace, 'release')).data?.version, '1', 'auto-sync is paused');

  await wren(cluster, 'sync', 'resume', 'rel', '-n', namespace);
  await waitForApplied(cluster, namespace, 'rel', third);
  assert.equal((await cluster.client.get<DataObject>(CONFIG_MAPS, namespace, 'release')).data?.version, '3');
});

test('dependsOn waits for the other GitSync; a Helm chart renders with its values', async (t) => {
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  const remote = await startGitRemote();
  t.after(() => remote.close());
  const commit = await remote.commit({
    'base/cm.yaml': configMapYaml('base-config', { ready: 'yes' }),
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'charts/web/values.yaml': 'replicas: 1\nimage: ghcr.io/example/web:1.0.0\n',
    'charts/web/values-prod.yaml': 'replicas: 3\n',
    'charts/web/templates/deployment.yaml': deploymentYaml('{{ .Release.Name }}', '{{ .Values.image }}').replace(
      'replicas: 2',
      'replicas: {{ .Values.replicas }}',
    ),
  });
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(
    GIT_SYNCS,
    gitSyncFor('app', namespace, remote.gitUrl, {
      path: 'charts/web',
      render: {
        type: 'helm',
        helm: { releaseName: 'storefront', valuesFiles: ['values-prod.yaml'], values: { image: 'ghcr.io/example/web:2.0.0' } },
      },
      dependsOn: [{ name: 'base' }],
    }),
  );
  const waiting = await waitForFailure(cluster, namespace, 'app', 'DependencyNotReady');
  assert.match(findCondition(waiting.status?.conditions, 'Ready')?.message ?? '', /base/);
  await assert.rejects(cluster.client.get(DEPLOYMENTS, namespace, 'storefront'), isNotFound);

  await cluster.client.create(GIT_SYNCS, gitSyncFor('base', namespace, remote.gitUrl, { path: 'base' }));
  await waitForApplied(cluster, namespace, 'app', commit);
  const deployment = await cluster.client.get<KubeObject & { spec?: { replicas?: number } }>(DEPLOYMENTS, namespace, 'storefront');
  assert.equal(deployment.spec?.replicas, 3, 'valuesFiles applied');
  assert.equal(imageOf(deployment), 'ghcr.io/example/web:2.0.0', 'inline values win');
});
