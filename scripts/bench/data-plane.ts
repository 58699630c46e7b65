// npm run bench:data-plane -- [--pods 1,50,200] [--seconds 10] [--connections 32] [--cold-build]
// Measures the local data plane on this machine and prints figures (not a test):
//   - cluster up time without and with the data plane (a cluster of its own, under a temporary state dir);
//   - per pod of the demo app, for each count: memory of its processes and bound → Ready latency;
//   - requests per second the local path sustains through Traefik to those pods (wrk, from Debian);
//   - with --cold-build, Traefik's build time from an empty Go build cache.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile, rssMegabytes } from './process-usage.ts';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '1,50,200' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    'cold-build': { type: 'boolean', default: false },
  },
});
const podCounts = values.pods.split(',').map(Number);
const state = mkdtempSync(join(tmpdir(), 'wren-bench-dp-'));
process.env.WREN_STATE_DIR = state;
// Modules read WREN_STATE_DIR when they load: import them only now.
const { clusterDown, clusterUp } = await import('../../src/localcluster/cluster.ts');
const { ensureBinaries, cacheDirOf } = await import('../../src/localcluster/build-binaries.ts');
const { binarySets } = await import('../../src/localcluster/binary-sets.ts');
const { ensureDebianPackage } = await import('../../src/localcluster/debian-packages.ts');
const { loadClusterAccess } = await import('../../src/kube/kubeconfig.ts');
const { KubeClient } = await import('../../src/kube/client.ts');
const { KubeTransport } = await import('../../src/kube/transport.ts');
const { DEPLOYMENTS, PODS, SERVICES } = await import('../../src/kube/resource-types.ts');
const { podProcesses } = await import('../../src/localcluster/runtime/pod-network.ts');
const { podNetworkNames } = await import('../../src/localcluster/runtime/pod-network-plan.ts');
const { recreateNamespace } = await import('./bench-setup.ts');

const quiet = () => undefined;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const lines: string[] = [];
const report = (line: string) => {
  lines.push(line);
  process.stderr.write(`${line}\n`);
};

if (values['cold-build']) {
  const traefik = binarySets().find((set) => set.name === 'traefik');
  if (traefik) {
    const cache = mkdtempSync(join(tmpdir(), 'wren-bench-cache-'));
    const started = Date.now();
    const result = spawnSync(
      process.execPath,
      [
        '-e',
        `import('${new URL('../../src/localcluster/build-binaries.ts', import.meta.url).pathname}').then((m) => m.ensureBinaries(() => {}))`,
      ],
      {
        env: { ...process.env, WREN_CACHE_DIR: cache, GOCACHE: join(cache, 'gocache') },
        stdio: 'inherit',
      },
    );
    report(
      `Traefik ${traefik.version} and the other binaries, cold (empty Go build cache, modules downloaded): ${seconds(Date.now() - started)} (exit ${result.status})`,
    );
    rmSync(cache, { recursive: true, force: true });
  }
}
await ensureBinaries(quiet);
report(
  `binaries: ${binarySets()
    .map((set) => `${set.name} ${set.version}`)
    .join(', ')} (cache ${cacheDirOf(binarySets()[0]!)})`,
);

try {
  let started = Date.now();
  await clusterUp(quiet, { dataPlane: false });
  report(`cluster up, control plane only:        ${seconds(Date.now() - started)} (first start of a new cluster)`);
  started = Date.now();
  const { dataPlane } = await clusterUp(quiet);
  report(`data plane up on the running cluster:  ${seconds(Date.now() - started)}`);
  if (!dataPlane) throw new Error('the data plane did not come up on this machine');
  await clusterDown(quiet);
  started = Date.now();
  const { kubeconfig, dataPlane: running } = await clusterUp(quiet);
  report(`cluster up with the data plane:        ${seconds(Date.now() - started)}`);
  if (!running) throw new Error('the data plane did not come up');

  const client = new KubeClient(new KubeTransport(loadClusterAccess(kubeconfig)!, 'wren-bench'));
  await ensureDebianPackage('/usr/bin/wrk', 'wrk');
  const namespace = 'bench-data-plane';
  for (const count of podCounts) {
    await recreateNamespace(client, namespace);
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'demo', namespace },
      spec: {
        replicas: count,
        selector: { matchLabels: { app: 'demo' } },
        template: {
          metadata: { labels: { app: 'demo' } },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'ghcr.io/wren-dev/demo-app:1.0.0',
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    };
    await client.create(DEPLOYMENTS, deployment);
    await client.create(SERVICES, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'demo', namespace },
      spec: { selector: { app: 'demo' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    type Pod = { metadata?: { uid?: string }; status?: { conditions?: { type: string; status: string; lastTransitionTime?: string }[] } };
    const readyAt = (pod: Pod, type: string) =>
      Date.parse(
        pod.status?.conditions?.find((condition) => condition.type === type && condition.status === 'True')?.lastTransitionTime ?? '',
      );
    const deadline = Date.now() + 15 * 60_000;
    let pods: Pod[] = [];
    for (;;) {
      pods = (await client.list<Pod & { metadata?: { name?: string } }>(PODS, namespace)).items;
      if (pods.length === count && pods.every((pod) => Number.isFinite(readyAt(pod, 'Ready')))) break;
      if (Date.now() > deadline) throw new Error(`${count} pods not Ready within 15 minutes`);
      await sleep(1000);
    }
    const latencies = pods.map((pod) => readyAt(pod, 'Ready') - readyAt(pod, 'PodScheduled'));
    let rss = 0;
    for (const pod of pods)
      for (const pid of await podProcesses(podNetworkNames(pod.metadata?.uid ?? '').namespace)) rss += rssMegabytes(pid);
    report(
      `${String(count).padStart(3)} demo-app pods: ${(rss / count).toFixed(0)} MB per pod (processes' RSS), bound → Ready p50 ${seconds(percentile(latencies, 50))}, p90 ${seconds(percentile(latencies, 90))}, max ${seconds(Math.max(...latencies))} (1 s resolution)`,
    );
    const host = 'demo.bench.test';
    const route = spawnSync(join(state, 'bin', 'kubectl'), ['--kubeconfig', kubeconfig, 'apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'IngressRoute',
        metadata: { name: 'demo', namespace },
        spec: { entryPoints: ['web'], routes: [{ match: `Host(\`${host}\`)`, kind: 'Rule', services: [{ name: 'demo', port: 80 }] }] },
      }),
    });
    if (route.status !== 0) throw new Error(route.stderr.toString());
    await sleep(3000);
    const wrk = spawnSync(
      'wrk',
      ['-t2', `-c${values.connections}`, `-d${values.seconds}s`, '-H', `Host: ${host}`, `${running.router.http}/`],
      { encoding: 'utf8' },
    );
    const rate = wrk.stdout.match(/Requests\/sec:\s+([\d.]+)/)?.[1];
    const errors = wrk.stdout.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? '0';
    const latency = wrk.stdout.match(/Latency\s+(\S+)/)?.[1];
    report(
      `${String(count).padStart(3)} pods behind Traefik: ${rate} requests/s (wrk, ${values.connections} connections, ${values.seconds} s, mean latency ${latency}, non-2xx ${errors})`,
    );
  }
} finally {
  await clusterDown(quiet).catch(() => undefined);
  rmSync(state, { recursive: true, force: true });
  process.stdout.write(
    `\nlocal data plane on ${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length} cores:\n${lines.map((line) => `  ${line}`).join('\n')}\n`,
  );
}
