// npm run bench:canaries -- --count 1000 [--wave 100] [--steady-seconds 60] [--keep] [--heap-snapshot]
//
// Creates N Deployments with Canaries on the local control plane, runs one operator, and reports
// its memory, CPU and API requests (counted by kube-apiserver's audit log, by Wren's user agent)
// in steady state and during a wave of simultaneous new revisions, plus the reconcile lag from a
// new revision to the operator acting on it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Canary } from '../../src/api/canary.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { KubeClient } from '../../src/kube/client.ts';
import { Informer } from '../../src/kube/informer.ts';
import { loadClusterAccess } from '../../src/kube/kubeconfig.ts';
import { CANARIES, DEPLOYMENTS, NAMESPACES, NODES } from '../../src/kube/resource-types.ts';
import { KubeTransport } from '../../src/kube/transport.ts';
import { ensureBinaries } from '../../src/localcluster/build-binaries.ts';
import { CLUSTER_NAME, clusterUp } from '../../src/localcluster/cluster.ts';
import { KWOK_WORKDIR } from '../../src/localcluster/paths.ts';
import { runChecked } from '../../src/localcluster/run-command.ts';
import { createLogger } from '../../src/log.ts';
import { installCrds } from '../../src/operator/install-crds.ts';
import { USER_AGENT } from '../../src/version.ts';
import { histogramQuantile, metricValue } from '../../test/helpers/metrics.ts';
import { auditLogSize, countRequests, WRITE_VERBS, type RequestCounts } from './audit-log.ts';
import { recreateNamespace, startBuiltOperator } from './bench-setup.ts';
import { HEAP_SNAPSHOT_SIGNAL, heapGroups, takeHeapSnapshot } from './heap-snapshot.ts';
import { cpuSeconds, percentile, rssMegabytes } from './process-usage.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100' },
    wave: { type: 'string' },
    'steady-seconds': { type: 'string', default: '60' },
    keep: { type: 'boolean', default: false },
    workers: { type: 'string' },
    'heap-snapshot': { type: 'boolean', default: false },
  },
});
const COUNT = Number(values.count);
const WAVE = Math.min(COUNT, Number(values.wave ?? 100));
const STEADY_SECONDS = Number(values['steady-seconds']);
const NAMESPACE = 'bench-canaries';
const PARALLEL_WRITES = 24;
const log = (message: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL_WRITES) await Promise.all(items.slice(i, i + PARALLEL_WRITES).map(work));
}

async function ensureNodes(client: KubeClient, binaries: Record<string, string>, podsNeeded: number): Promise<void> {
  const nodes = await client.list<{ status?: { allocatable?: { pods?: string } } }>(NODES);
  const perNode = Number(nodes.items[0]?.status?.allocatable?.pods ?? 110);
  const wanted = Math.ceil((podsNeeded * 1.2) / perNode) + 1;
  if (nodes.items.length >= wanted) return;
  log(`scaling KWOK nodes ${nodes.items.length} → ${wanted} (${perNode} pods each)`);
  await runChecked(binaries.kwokctl as string, ['scale', 'node', '--name', CLUSTER_NAME, '--replicas', String(wanted)], {
    env: { ...process.env, KWOK_WORKDIR, KWOK_KUBECTL_BINARY: binaries.kubectl },
  });
}

/** Deletes the namespace; with no operator running, the Canaries' finalizers are dropped first. */
async function removeNamespace(client: KubeClient): Promise<void> {
  const leftovers = await client.list(CANARIES, NAMESPACE).catch(() => ({ items: [] }));
  await inBatches(leftovers.items, (item) =>
    client.mergePatch(CANARIES, NAMESPACE, item.metadata?.name ?? '', { metadata: { finalizers: null } }).catch(() => undefined),
  );
  await client.delete(NAMESPACES, undefined, NAMESPACE).catch(() => undefined);
}

async function freshNamespace(client: KubeClient): Promise<void> {
  await removeNamespace(client);
  await recreateNamespace(client, NAMESPACE);
}

const appName = (index: number) => `app-${String(index).padStart(4, '0')}`;

function deployment(name: string, image: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
    },
  };
}

function canary(name: string) {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'Canary',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      service: { port: 80 },
      analysis: { interval: '5s', threshold: 2, iterations: 1 },
    },
  };
}

interface Window {
  seconds: number;
  requests: RequestCounts;
  rssMb: number;
  cpuPercent: number;
}

async function measure(pid: number, seconds: number, during?: Promise<unknown>): Promise<Window> {
  const offset = auditLogSize();
  const cpuBefore = cpuSeconds(pid);
  const started = Date.now();
  let peakRss = rssMegabytes(pid);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMegabytes(pid))), 500);
  if (during) await during;
  const remaining = seconds * 1000 - (Date.now() - started);
  if (remaining > 0) await sleep(remaining);
  clearInterval(sampler);
  const elapsed = (Date.now() - started) / 1000;
  await sleep(1500); // let the audit backend flush the window's last lines
  return {
    seconds: elapsed,
    requests: countRequests(offset, auditLogSize(), `${USER_AGENT}`),
    rssMb: Math.max(peakRss, rssMegabytes(pid)),
    cpuPercent: ((cpuSeconds(pid) - cpuBefore) / elapsed) * 100,
  };
}

function perMinute(window: Window, count: number): string {
  return (count / (window.seconds / 60)).toFixed(1);
}

function report(name: string, window: Window): void {
  const writes = WRITE_VERBS.reduce((sum, verb) => sum + (window.requests.byVerb[verb] ?? 0), 0);
  const leaseWrites = (window.requests.byVerbAndResource['update leases'] ?? 0) + (window.requests.byVerbAndResource['create leases'] ?? 0);
  const reads = (window.requests.byVerb.get ?? 0) - (window.requests.byVerbAndResource['get leases'] ?? 0);
  console.log(`\n${name} (${window.seconds.toFixed(0)}s)`);
  console.log(`  operator RSS peak            ${window.rssMb.toFixed(0)} MB`);
  console.log(`  operator CPU                 ${window.cpuPercent.toFixed(1)} % of one core`);
  console.log(
    `  API requests / min by verb   ${
      Object.entries(window.requests.byVerb)
        .map(([verb, n]) => `${verb} ${perMinute(window, n)}`)
        .join(', ') || 'none'
    }`,
  );
  console.log(`  writes / min (all)           ${perMinute(window, writes)}`);
  console.log(`  writes / min (not the Lease) ${perMinute(window, writes - leaseWrites)}`);
  console.log(`  GETs / min (not the Lease)   ${perMinute(window, reads)}`);
  const top = Object.entries(window.requests.byVerbAndResource)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8);
  console.log(`  busiest                      ${top.map(([key, n]) => `${key}: ${n}`).join('; ')}`);
}

/** Where the operator's memory goes: the heap, and what each watch cache holds (its own accounting). */
function printMemory(exposition: string): void {
  const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  console.log('  memory (from /metrics)');
  const [rss, heapUsed, heapTotal, external] = [
    'process_resident_memory_bytes',
    'nodejs_heap_size_used_bytes',
    'nodejs_heap_size_total_bytes',
    'nodejs_external_memory_bytes',
  ].map((name) => megabytes(metricValue(exposition, name)));
  console.log(`    RSS ${rss}, heap used ${heapUsed} of ${heapTotal} reserved, external ${external}`);
  const caches = [...exposition.matchAll(/^wren_cache_objects\{resource="([^"]+)"\} (\S+)$/gm)]
    .map(([, resource = '', objects]) => ({
      resource,
      objects: Number(objects),
      bytes: metricValue(exposition, 'wren_cache_json_bytes', { resource }),
    }))
    .sort((a, b) => b.bytes - a.bytes);
  for (const cache of caches) {
    console.log(
      `    cache ${cache.resource.padEnd(40)} ${String(cache.objects).padStart(6)} objects ${megabytes(cache.bytes).padStart(10)} as JSON`,
    );
  }
}

/** The live heap after a full collection, by what holds it (top 15). */
function printHeap(snapshot: Parameters<typeof heapGroups>[0]): void {
  const { total, groups } = heapGroups(snapshot);
  console.log(`  live heap (snapshot after a full collection): ${(total / 1e6).toFixed(1)} MB`);
  for (const group of groups.slice(0, 15)) {
    console.log(
      `    ${group.what.slice(0, 48).padEnd(48)} ${String(group.count).padStart(8)} ${(group.bytes / 1e6).toFixed(1).padStart(7)} MB`,
    );
  }
}

async function main(): Promise<void> {
  const snapshotDir = mkdtempSync(join(tmpdir(), 'bench-heap-'));
  // The kubernetes provider needs no router or Prometheus: without them the control plane has the cores.
  const { kubeconfig } = await clusterUp(log, { dataPlane: false });
  const binaries = await ensureBinaries(log);
  const access = loadClusterAccess(kubeconfig);
  if (!access) throw new Error('no kubeconfig');
  const client = new KubeClient(new KubeTransport(access, 'wren-bench'));
  await installCrds(client);
  // Targets and primaries both run until initialization scales the targets down, then the wave adds more.
  await ensureNodes(client, binaries, 2 * COUNT + WAVE);
  log(`fresh namespace ${NAMESPACE}`);
  await freshNamespace(client);

  const names = Array.from({ length: COUNT }, (_, index) => appName(index));
  const created = Date.now();
  await inBatches(names, (name) => client.create(DEPLOYMENTS, deployment(name, 'ghcr.io/example/app:1')));
  await inBatches(names, (name) => client.create(CANARIES, canary(name)));
  log(`created ${COUNT} Deployments and Canaries in ${((Date.now() - created) / 1000).toFixed(1)}s`);

  const canaries = new Informer<Canary>(client, CANARIES, createLogger('silent'), { namespace: NAMESPACE });
  const seen = new Map<string, number>();
  let watchNewRevision: ((name: string, at: number) => void) | undefined;
  canaries.on((event) => {
    if (event.type !== 'updated') return;
    const before = event.old.status?.lastAppliedSpec;
    const after = event.object.status?.lastAppliedSpec;
    if (before && after && before !== after) watchNewRevision?.(event.object.metadata?.name ?? '', Date.now());
  });
  canaries.start();
  await canaries.waitForSync();

  // The built operator, as it runs in production (running from source adds the TypeScript stripper).
  // When each patched Deployment becomes visible in a watch: the moment the operator can first know.
  const deployments = new Informer<KubeObject & { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } }>(
    client,
    DEPLOYMENTS,
    createLogger('silent'),
    { namespace: NAMESPACE },
  );
  const visibleAt = new Map<string, number>();
  deployments.on((event) => {
    const name = event.object.metadata?.name ?? '';
    if (
      event.type === 'updated' &&
      event.object.spec?.template?.metadata?.annotations?.['bench/revision'] === '2' &&
      !visibleAt.has(name)
    ) {
      visibleAt.set(name, Date.now());
    }
  });
  deployments.start();
  await deployments.waitForSync();

  const { child: operator, port } = await startBuiltOperator(
    kubeconfig,
    [
      '--watch-namespace',
      NAMESPACE,
      '--lease-namespace',
      NAMESPACE,
      '--log-level',
      'warn',
      ...(values.workers ? ['--workers', values.workers] : []),
    ],
    ['ignore', 'ignore', 'inherit'],
    undefined,
    { nodeOptions: [`--heapsnapshot-signal=${HEAP_SNAPSHOT_SIGNAL}`], cwd: snapshotDir },
  );
  const pid = operator.pid as number;
  const startedAt = Date.now();
  const phases = () => {
    const counts: Record<string, number> = {};
    for (const item of canaries.list()) counts[item.status?.phase || 'new'] = (counts[item.status?.phase || 'new'] ?? 0) + 1;
    return counts;
  };
  const settled = (phase: string) => canaries.list().filter((item) => item.status?.phase === phase).length === COUNT;
  const initWindow = measure(
    pid,
    0,
    (async () => {
      while (!settled('Initialized')) {
        await sleep(2000);
        log(`initializing: ${JSON.stringify(phases())}`);
      }
    })(),
  );
  const init = await initWindow;
  console.log(`\n${COUNT} canaries initialized by one operator in ${((Date.now() - startedAt) / 1000).toFixed(1)}s`);
  report('initialization', init);

  log(`settling, then measuring steady state for ${STEADY_SECONDS}s`);
  await sleep(15_000);
  report('steady state', await measure(pid, STEADY_SECONDS));
  printMemory(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
  if (values['heap-snapshot']) printHeap(await takeHeapSnapshot(pid, snapshotDir));

  const waveNames = names.slice(0, WAVE);
  const patchSentAt = new Map<string, number>();
  const lags: number[] = [];
  // Lag counts from when the patch was sent: the operator may act before our PATCH even returns.
  const allSeen = new Promise<void>((resolve) => {
    watchNewRevision = (name, at) => {
      const sent = patchSentAt.get(name);
      if (sent === undefined || seen.has(name)) return;
      seen.set(name, at);
      lags.push(at - sent);
      if (lags.length === WAVE) resolve();
    };
  });
  const metricsBefore = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const waveStarted = Date.now();
  const wave = measure(
    pid,
    0,
    (async () => {
      await Promise.all(
        waveNames.map(async (name) => {
          patchSentAt.set(name, Date.now());
          await client.mergePatch(DEPLOYMENTS, NAMESPACE, name, {
            spec: { template: { metadata: { annotations: { 'bench/revision': '2' } } } },
          });
        }),
      );
      await allSeen;
      while (
        canaries.list().filter((item) => waveNames.includes(item.metadata?.name ?? '') && item.status?.phase === 'Succeeded').length < WAVE
      ) {
        await sleep(1000);
      }
    })(),
  );
  const waveWindow = await wave;
  console.log(`\nwave of ${WAVE} new revisions: all promoted ${((Date.now() - waveStarted) / 1000).toFixed(1)}s after the patches`);
  const reconcileLags = waveNames
    .map((name) => (seen.get(name) ?? Number.NaN) - (visibleAt.get(name) ?? Number.NaN))
    .filter(Number.isFinite);
  console.log(`  lag from PATCH sent to new run in status:        p50 ${percentile(lags, 50)} ms, p99 ${percentile(lags, 99)} ms`);
  console.log(
    `  reconcile lag (change visible in a watch → new run in status): p50 ${percentile(reconcileLags, 50)} ms, p99 ${percentile(reconcileLags, 99)} ms`,
  );
  const exposition = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const wait = (q: number) =>
    histogramQuantile(exposition, 'wren_workqueue_queue_duration_seconds', q, { kind: 'Canary' }, metricsBefore) * 1000;
  const patch = (q: number) =>
    histogramQuantile(exposition, 'wren_kube_api_request_duration_seconds', q, { verb: 'PATCH' }, metricsBefore) * 1000;
  console.log(`  operator queue wait during the wave (histogram buckets): p50 ≤ ${wait(0.5)} ms, p99 ≤ ${wait(0.99)} ms`);
  console.log(`  API PATCH latency the operator saw during the wave (buckets): p50 ≤ ${patch(0.5)} ms, p99 ≤ ${patch(0.99)} ms`);
  report('wave', waveWindow);

  operator.kill('SIGTERM');
  await canaries.stop();
  await deployments.stop();
  if (!values.keep) {
    log(`deleting namespace ${NAMESPACE} (pass --keep to keep it)`);
    await removeNamespace(client);
  }
  await client.transport.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
