// npm run bench:gitsync -- [--objects 1000] [--app-objects 100] [--pushes 10] [--resync-seconds 30]
//
// GitSync speed on the local control plane, with a real git daemon and the built operator:
//  1. time to sync a repository of N objects, against `kubectl apply --server-side` of the same files;
//  2. writes during no-op resyncs (interval polling of an unchanged repository; target zero);
//  3. push-to-applied latency through the webhook for an app of 100 objects (target p50 < 2 s).
// Requests are counted from kube-apiserver's audit log by Wren's user agent; dry-runs are counted apart.
import { createHmac } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { ClusterAccess } from '../../src/kube/cluster-access.ts';
import type { GitSync } from '../../src/api/git-sync.ts';
import { KubeClient } from '../../src/kube/client.ts';
import { loadClusterAccess } from '../../src/kube/kubeconfig.ts';
import { GIT_SYNCS, NAMESPACES, SECRETS } from '../../src/kube/resource-types.ts';
import { KubeTransport } from '../../src/kube/transport.ts';
import { ensureBinaries } from '../../src/localcluster/build-binaries.ts';
import { clusterUp } from '../../src/localcluster/cluster.ts';
import { runChecked } from '../../src/localcluster/run-command.ts';
import { installCrds } from '../../src/operator/install-crds.ts';
import { USER_AGENT } from '../../src/version.ts';
import { startGitRemote } from '../../test/helpers/git-remote.ts';
import { auditLogSize, countRequests, WRITE_VERBS } from './audit-log.ts';
import { recreateNamespace, startBuiltOperator, waitForReady } from './bench-setup.ts';
import { percentile } from './process-usage.ts';

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '1000' },
    'app-objects': { type: 'string', default: '100' },
    pushes: { type: 'string', default: '10' },
    'resync-seconds': { type: 'string', default: '30' },
  },
});
const OBJECTS = Number(values.objects);
const APP_OBJECTS = Number(values['app-objects']);
const PUSHES = Number(values.pushes);
const RESYNC_SECONDS = Number(values['resync-seconds']);
const SYNC_NS = 'bench-gitsync';
const KUBECTL_NS = 'bench-kubectl';
const WEBHOOK_SECRET = 'bench-webhook-secret';
const log = (message: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

/** A realistic mix: ConfigMaps, Secrets and Services, one file each. */
function manifests(count: number, prefix: string, version: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (let index = 0; index < count; index += 1) {
    const name = `${prefix}-${String(index).padStart(4, '0')}`;
    const kind = index % 5;
    files[`${prefix}/${name}.yaml`] =
      kind === 0
        ? `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80, targetPort: 8080}]\n`
        : kind === 1
          ? `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\nstringData:\n  password: pw-${index}\n`
          : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  version: "${version}"\n  index: "${index}"\n`;
  }
  return files;
}

async function waitForRevision(client: KubeClient, name: string, commit: string): Promise<void> {
  for (;;) {
    const sync = await client.get<GitSync>(GIT_SYNCS, SYNC_NS, name);
    const ready = sync.status?.conditions?.find((condition) => condition.type === 'Ready');
    if (sync.status?.lastAppliedRevision === commit && ready?.status === 'True') return;
    if (ready?.status === 'False' && sync.status?.lastAttemptedRevision === commit) throw new Error(`sync failed: ${ready.message}`);
    await sleep(25);
  }
}

const gitSync = (name: string, url: string, path: string, interval: string): GitSync =>
  ({
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'GitSync',
    metadata: { name, namespace: SYNC_NS },
    spec: { url, ref: { branch: 'main' }, path, interval },
  }) as GitSync;

const { kubeconfig } = await clusterUp(log);
const binaries = await ensureBinaries(log);
const client = new KubeClient(new KubeTransport(loadClusterAccess(kubeconfig) as ClusterAccess, 'wren-bench'));
await installCrds(client);
await recreateNamespace(client, SYNC_NS);
await recreateNamespace(client, KUBECTL_NS);
const remote = await startGitRemote();

// 1. kubectl apply --server-side of the same files, for comparison.
const big = manifests(OBJECTS, 'big', '1');
const dir = await mkdtemp(join(tmpdir(), 'wren-bench-'));
for (const [path, text] of Object.entries(big)) {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), text);
}
log(`kubectl apply --server-side of ${OBJECTS} objects`);
let started = performance.now();
await runChecked(binaries.kubectl as string, [
  '--kubeconfig',
  kubeconfig,
  'apply',
  '--server-side',
  '-n',
  KUBECTL_NS,
  '-R',
  '-f',
  join(dir, 'big'),
]);
const kubectlSeconds = (performance.now() - started) / 1000;
await rm(dir, { recursive: true, force: true });

const bigCommit = await remote.commit({ ...big, ...manifests(APP_OBJECTS, 'app', '0') });
await client.create(SECRETS, {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'wren-git-webhook', namespace: SYNC_NS },
  stringData: { token: WEBHOOK_SECRET },
});
const { child: operator, port } = await startBuiltOperator(
  kubeconfig,
  ['--no-leader-elect', '--git-webhook-secret', `${SYNC_NS}/wren-git-webhook`, '--log-level', 'info'],
  ['ignore', 'inherit', 'inherit'],
);
try {
  await waitForReady(port);

  // 2. First sync of the same objects by a GitSync.
  log(`GitSync of ${OBJECTS} objects`);
  let offset = auditLogSize();
  started = performance.now();
  await client.create(GIT_SYNCS, gitSync('big', remote.gitUrl, 'big', '5s'));
  await waitForRevision(client, 'big', bigCommit);
  const gitSyncSeconds = (performance.now() - started) / 1000;
  await sleep(1500);
  const firstSync = countRequests(offset, auditLogSize(), USER_AGENT);

  // 3. No-op resyncs: the repository does not change; the GitSync polls it every 5 s.
  await sleep(6000); // let the status write of the first sync and its echo settle
  log(`no-op resyncs for ${RESYNC_SECONDS}s (interval 5s)`);
  offset = auditLogSize();
  await sleep(RESYNC_SECONDS * 1000);
  await sleep(1500);
  const resync = countRequests(offset, auditLogSize(), USER_AGENT);
  const resyncWrites = WRITE_VERBS.reduce((sum, verb) => sum + (resync.byVerb[verb] ?? 0), 0);

  // 4. Push → webhook → applied, for an app of APP_OBJECTS objects. The big GitSync goes away first
  //    (its objects stay), so each push measures the app alone.
  await client.delete(GIT_SYNCS, SYNC_NS, 'big');
  await client.create(GIT_SYNCS, gitSync('app', remote.gitUrl, 'app', '1h'));
  await waitForRevision(client, 'app', bigCommit);
  const latencies: number[] = [];
  for (let push = 1; push <= PUSHES; push += 1) {
    const commit = await remote.commit(manifests(APP_OBJECTS, 'app', String(push)));
    const pushed = performance.now(); // the push has landed in the remote: the webhook fires now
    const body = JSON.stringify({ ref: 'refs/heads/main', repository: { clone_url: remote.gitUrl } });
    const response = await fetch(`http://127.0.0.1:${port}/hooks/git`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-GitHub-Event': 'push',
        'X-Hub-Signature-256': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    if (response.status !== 202) throw new Error(`webhook answered ${response.status}`);
    await waitForRevision(client, 'app', commit);
    latencies.push((performance.now() - pushed) / 1000);
  }

  const writes = (counts: typeof firstSync) => WRITE_VERBS.reduce((sum, verb) => sum + (counts.byVerb[verb] ?? 0), 0);
  console.log(`\nGitSync benchmark (${OBJECTS} objects: Services, Secrets, ConfigMaps)`);
  console.log(`  kubectl apply --server-side     ${kubectlSeconds.toFixed(1)} s`);
  console.log(
    `  GitSync first sync              ${gitSyncSeconds.toFixed(1)} s  (fetch, render, dry-run, apply, status; ${writes(firstSync)} writes, ${firstSync.byVerb['patch-dry-run'] ?? 0} dry-runs)`,
  );
  console.log(
    `  no-op resyncs (${RESYNC_SECONDS} s, interval 5 s)  ${resyncWrites} writes; all requests: ${JSON.stringify(resync.byVerbAndResource)}`,
  );
  console.log(
    `  push → applied via webhook      p50 ${percentile(latencies, 50).toFixed(2)} s, p90 ${percentile(latencies, 90).toFixed(2)} s, max ${Math.max(...latencies).toFixed(2)} s (${PUSHES} pushes, ${APP_OBJECTS} objects changed each)`,
  );
} finally {
  operator.kill('SIGTERM');
  await remote.close();
  await client.delete(NAMESPACES, undefined, SYNC_NS).catch(() => undefined);
  await client.delete(NAMESPACES, undefined, KUBECTL_NS).catch(() => undefined);
}
