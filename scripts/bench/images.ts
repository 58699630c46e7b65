// npm run bench:images -- [--tags 500] [--pushes 10] [--idle-seconds 30]
//
// Image automation speed on the local control plane, with Debian's docker-registry, a git daemon
// and the built operator:
//  1. first scan of a repository with N tags under a semver policy (list, filter, pick, digest);
//  2. writes and registry work while polling an unchanged registry every 5 s (target: zero writes);
//  3. push → write-back commit, and push → applied by the GitSync, driven by the registry's own push
//     notification to /hooks/registry (the policy's interval is an hour, so only the webhook counts).
// Kubernetes requests are counted from kube-apiserver's audit log by Wren's user agent.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { ClusterAccess } from '../../src/kube/cluster-access.ts';
import type { GitSync } from '../../src/api/git-sync.ts';
import type { ImagePolicy } from '../../src/api/image-policy.ts';
import { KubeClient } from '../../src/kube/client.ts';
import { loadClusterAccess } from '../../src/kube/kubeconfig.ts';
import { GIT_SYNCS, IMAGE_POLICIES, NAMESPACES, SECRETS } from '../../src/kube/resource-types.ts';
import { KubeTransport } from '../../src/kube/transport.ts';
import { clusterUp } from '../../src/localcluster/cluster.ts';
import { installCrds } from '../../src/operator/install-crds.ts';
import { USER_AGENT } from '../../src/version.ts';
import { startContainerRegistry } from '../../test/helpers/container-registry.ts';
import { startGitRemote } from '../../test/helpers/git-remote.ts';
import { freePort } from '../../test/helpers/prometheus.ts';
import { auditLogSize, countRequests, WRITE_VERBS } from './audit-log.ts';
import { recreateNamespace, startBuiltOperator, waitForReady } from './bench-setup.ts';
import { percentile } from './process-usage.ts';

const { values } = parseArgs({
  options: {
    tags: { type: 'string', default: '500' },
    pushes: { type: 'string', default: '10' },
    'idle-seconds': { type: 'string', default: '30' },
  },
});
const TAGS = Number(values.tags);
const PUSHES = Number(values.pushes);
const IDLE_SECONDS = Number(values['idle-seconds']);
const NS = 'bench-images';
const WEBHOOK_TOKEN = 'bench-registry-token';
const log = (message: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

async function waitFor<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    await sleep(25);
  }
}

const policy = (name: string, image: string, range: string, interval: string): ImagePolicy =>
  ({
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'ImagePolicy',
    metadata: { name, namespace: NS },
    spec: { image, gitSyncRef: { name: 'config' }, policy: { semver: { range } }, insecure: true, interval },
  }) as ImagePolicy;

const configMap = (image: string) =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: app',
    'data:',
    `  image: ${image}:1.0.0 # {"$imagepolicy": "${NS}:app"}`,
    '',
  ].join('\n');

const { kubeconfig } = await clusterUp(log);
const client = new KubeClient(new KubeTransport(loadClusterAccess(kubeconfig) as ClusterAccess, 'wren-bench'));
await installCrds(client);
await recreateNamespace(client, NS);
await client.create(SECRETS, {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'wren-registry-webhook', namespace: NS },
  stringData: { token: WEBHOOK_TOKEN },
});
const port = await freePort();
const registry = await startContainerRegistry({
  notifications: { url: `http://127.0.0.1:${port}/hooks/registry`, headers: { Authorization: `Bearer ${WEBHOOK_TOKEN}` } },
});
const remote = await startGitRemote();
const { child: operator } = await startBuiltOperator(
  kubeconfig,
  ['--no-leader-elect', '--registry-webhook-secret', `${NS}/wren-registry-webhook`, '--log-level', 'info'],
  ['ignore', 'inherit', 'inherit'],
  port,
);
try {
  const app = `${registry.host}/team/app`;
  const many = `${registry.host}/team/many`;
  log(`pushing ${TAGS} tags`);
  for (let index = 0; index < TAGS; index += 1) await registry.pushImage('team/many', `1.${Math.floor(index / 50)}.${index % 50}`);
  await registry.pushImage('team/app', '1.0.0');
  const first = await remote.commit({ 'deploy/app.yaml': configMap(app) });
  await waitForReady(port);
  await client.create(GIT_SYNCS, {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'GitSync',
    metadata: { name: 'config', namespace: NS },
    spec: { url: remote.gitUrl, ref: { branch: 'main' }, path: 'deploy', interval: '1h' },
  } as GitSync);
  const applied = (commit: string) =>
    waitFor(
      () => client.get<GitSync>(GIT_SYNCS, NS, 'config'),
      (sync) => sync.status?.lastAppliedRevision === commit,
    );
  await applied(first);

  // 1. First scan of many tags. No marker names this policy, so it only reports what it found.
  log(`first scan of ${TAGS} tags`);
  const newest = `1.${Math.floor((TAGS - 1) / 50)}.${(TAGS - 1) % 50}`;
  let started = performance.now();
  await client.create(IMAGE_POLICIES, policy('many', many, '>=1.0.0', '5s'));
  await waitFor(
    () => client.get<ImagePolicy>(IMAGE_POLICIES, NS, 'many'),
    (current) => current.status?.latest?.tag === newest,
  );
  const firstScanSeconds = (performance.now() - started) / 1000;

  // 2. Idle polling of an unchanged registry every 5 s.
  await sleep(6000);
  log(`idle polling for ${IDLE_SECONDS}s (interval 5s)`);
  const offset = auditLogSize();
  await sleep(IDLE_SECONDS * 1000);
  await sleep(1500);
  const idle = countRequests(offset, auditLogSize(), USER_AGENT);
  const idleWrites = WRITE_VERBS.reduce((sum, verb) => sum + (idle.byVerb[verb] ?? 0), 0);
  await client.delete(IMAGE_POLICIES, NS, 'many');

  // 3. Push → commit → applied, through the registry notification.
  await client.create(IMAGE_POLICIES, policy('app', app, '>=1.0.0', '1h'));
  await waitFor(
    () => client.get<ImagePolicy>(IMAGE_POLICIES, NS, 'app'),
    (current) => current.status?.chosen?.tag === '1.0.0',
  );
  const toCommit: number[] = [];
  const toApplied: number[] = [];
  for (let push = 1; push <= PUSHES; push += 1) {
    const tag = `1.0.${push}`;
    started = performance.now();
    await registry.pushImage('team/app', tag);
    const written = await waitFor(
      () => client.get<ImagePolicy>(IMAGE_POLICIES, NS, 'app'),
      (current) => current.status?.chosen?.tag === tag && !!current.status.lastWriteBack?.commit,
    );
    toCommit.push((performance.now() - started) / 1000);
    await applied(written.status?.lastWriteBack?.commit as string);
    toApplied.push((performance.now() - started) / 1000);
  }

  const summary = (values: number[]) =>
    `p50 ${percentile(values, 50).toFixed(2)} s, p90 ${percentile(values, 90).toFixed(2)} s, max ${Math.max(...values).toFixed(2)} s`;
  console.log('\nImage automation benchmark (docker-registry 2.8, git daemon, local control plane)');
  console.log(`  first scan of ${TAGS} tags (semver)     ${firstScanSeconds.toFixed(2)} s from create to status.latest ${newest}`);
  console.log(
    `  idle polling (${IDLE_SECONDS} s, interval 5 s)   ${idleWrites} writes; all requests: ${JSON.stringify(idle.byVerbAndResource)}`,
  );
  console.log(`  push → write-back commit (webhook)  ${summary(toCommit)} (${PUSHES} pushes)`);
  console.log(`  push → applied by the GitSync       ${summary(toApplied)}`);
} finally {
  operator.kill('SIGTERM');
  await remote.close();
  await registry.close();
  await client.delete(NAMESPACES, undefined, NS).catch(() => undefined);
}
