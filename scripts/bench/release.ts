// npm run bench:release -- [--rate 50] [--error-rate 0.3] [--interval 10s] [--threshold 2] [--step-weight 20] [--max-weight 60]
// What a release costs users, measured from their requests (prints figures; not a test). On the local
// data plane (started if need be), the demo app behind Traefik, a Canary with Traefik's built-in
// checks, and users sending --rate requests/s through the router, every answer timed and counted:
//   1. a faulty version (failing --error-rate of requests): decision time, from the first answer the
//      faulty version served to the last one, against interval × threshold (the checks it takes; a
//      scrape may add up to one scrape interval); blast radius, the failed answers users got, against
//      rate × step weight × error rate × interval × threshold;
//   2. a healthy version: failed answers (expected 0) and the time to promotion against interval × steps.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import type { Canary } from '../../src/api/canary.ts';
import { parseDuration } from '../../src/api/duration.ts';
import { scheduleOf } from '../../src/canary/schedule.ts';
import { failedVersionServes } from '../../src/cli/release-view.ts';
import { KubeClient } from '../../src/kube/client.ts';
import { loadClusterAccess } from '../../src/kube/kubeconfig.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CANARIES, DEPLOYMENTS } from '../../src/kube/resource-types.ts';
import { KubeTransport } from '../../src/kube/transport.ts';
import { clusterUp } from '../../src/localcluster/cluster.ts';
import { SCRAPE_INTERVAL_SECONDS } from '../../src/localcluster/data-plane/metrics-server.ts';
import { demoAppDeployment, SAMPLE_IMAGE } from '../../src/localcluster/sample-app/manifests.ts';
import { INGRESS_ROUTES } from '../../src/routing/route-types.ts';
import type { Deployment } from '../../src/workload/workload-types.ts';
import { eventually } from '../../test/helpers/eventually.ts';
import { recreateNamespace } from './bench-setup.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '50' },
    'error-rate': { type: 'string', default: '0.3' },
    interval: { type: 'string', default: '10s' },
    threshold: { type: 'string', default: '2' },
    'step-weight': { type: 'string', default: '20' },
    'max-weight': { type: 'string', default: '60' },
  },
});
const rate = Number(values.rate);
const errorRate = Number(values['error-rate']);
const intervalMs = parseDuration(values.interval) ?? 10_000;
const threshold = Number(values.threshold);
const stepWeight = Number(values['step-weight']);
const maxWeight = Number(values['max-weight']);
const namespace = 'bench-release';
const host = 'bench-release.localhost';
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const report = (line: string) => process.stdout.write(`${line}\n`);

interface Answer {
  sentAt: number;
  doneAt: number;
  status: number;
  version?: string;
}

/** Users: `rate` requests per second through the router, each answer kept with its times. */
function startUsers(router: string) {
  const answers: Answer[] = [];
  const agent = new Agent({ connections: 16 });
  let running = true;
  const loop = (async () => {
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    for (let slot = 0; running; slot++) {
      const wait = started + (slot * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      const sentAt = Date.now();
      const sent = request(`${router}/`, { headers: { host }, dispatcher: agent, signal: AbortSignal.timeout(10_000) })
        .then(async (response) => {
          await response.body.dump();
          answers.push({ sentAt, doneAt: Date.now(), status: response.statusCode, version: response.headers['x-demo-version'] as string });
        })
        .catch(() => {
          answers.push({ sentAt, doneAt: Date.now(), status: 0 });
        })
        .finally(() => inFlight.delete(sent));
      inFlight.add(sent);
    }
    await Promise.all(inFlight);
    await agent.close();
  })();
  return {
    answers,
    async stop() {
      running = false;
      await loop;
    },
  };
}

const cluster = await clusterUp((message) => process.stderr.write(`${message}\n`));
if (!cluster.dataPlane) throw new Error('the data plane did not start');
const access = loadClusterAccess(cluster.kubeconfig);
if (!access) throw new Error('no kubeconfig');
const client = new KubeClient(new KubeTransport(access, 'wren-bench'));
await recreateNamespace(client, namespace);

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const operator = spawn(
  process.execPath,
  [
    main,
    'operator',
    '--kubeconfig',
    cluster.kubeconfig,
    '--watch-namespace',
    namespace,
    '--lease-namespace',
    namespace,
    '--http-address',
    '127.0.0.1:0',
    '--metrics-server',
    cluster.dataPlane.prometheus,
  ],
  { stdio: 'ignore' },
);

const metricInterval = `${Math.round(intervalMs / 1000)}s`;
const canary = {
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'Canary',
  metadata: { name: 'web', namespace },
  spec: {
    provider: 'traefik',
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    progressDeadlineSeconds: 120,
    service: { port: 80, targetPort: 'http' },
    analysis: {
      interval: metricInterval,
      threshold,
      stepWeight,
      maxWeight,
      metrics: [
        { name: 'request-success-rate', interval: metricInterval, thresholdRange: { min: 99 } },
        { name: 'request-duration', interval: metricInterval, thresholdRange: { max: 500 } },
      ],
    },
  },
};
const route = {
  apiVersion: 'traefik.io/v1alpha1',
  kind: 'IngressRoute',
  metadata: { name: 'web', namespace },
  spec: {
    entryPoints: ['web'],
    routes: [{ match: `Host(\`${host}\`)`, kind: 'Rule', services: [{ name: 'web', kind: 'TraefikService' }] }],
  },
};
await client.create(DEPLOYMENTS, demoAppDeployment(namespace, '1.0.0') as KubeObject);
await client.create(CANARIES, canary as KubeObject);
await client.create(INGRESS_ROUTES, route as KubeObject);

const phaseOf = async () => (await client.get<Canary>(CANARIES, namespace, 'web')).status?.phase;
const until = (phase: string) =>
  eventually(`phase ${phase}`, async () => ((await phaseOf()) === phase ? phase : undefined), { timeoutMs: 600_000, intervalMs: 250 });
const canaryGone = () =>
  eventually(
    'the canary scaled to zero',
    async () => !failedVersionServes((await client.get<Deployment>(DEPLOYMENTS, namespace, 'web')).status),
    { timeoutMs: 600_000, intervalMs: 250 },
  );
const ship = (version: string, faults: Record<string, string> = {}) =>
  client.mergePatch(DEPLOYMENTS, namespace, 'web', {
    spec: { template: demoAppDeployment(namespace, version, undefined, faults).spec.template },
  });

try {
  await until('Initialized');
  const users = startUsers(cluster.dataPlane.router.http);
  await eventually('v1 to answer', () => users.answers.some((answer) => answer.version === '1.0.0'), {
    timeoutMs: 600_000,
    intervalMs: 250,
  });
  await sleep(5000);

  // 1. A faulty version.
  const faultyShipped = Date.now();
  await ship('2.0.0', { DEMO_ERROR_RATE: String(errorRate) });
  await until('Failed');
  const failedAt = Date.now();
  await canaryGone();
  await sleep(5000);
  const faulty = users.answers.filter((answer) => answer.sentAt >= faultyShipped);
  const fromFaulty = faulty.filter((answer) => answer.version === '2.0.0');
  const firstServed = Math.min(...fromFaulty.map((answer) => answer.doneAt));
  const lastServed = Math.max(...fromFaulty.map((answer) => answer.doneAt));
  const decisionMs = lastServed - firstServed;
  const decisionFloorMs = intervalMs * threshold;
  const failed = faulty.filter((answer) => answer.status >= 500 || answer.status === 0);
  const failedRequests = failed.length;
  // Which failures the faulty version answered and which the path to it did (the router, a connection).
  const failedBy: Record<string, number> = {};
  for (const answer of failed) {
    const key = `${answer.status === 0 ? 'no answer' : answer.status} from ${answer.version ?? 'the router'}`;
    failedBy[key] = (failedBy[key] ?? 0) + 1;
  }
  const blastFloor = rate * (stepWeight / 100) * errorRate * (decisionFloorMs / 1000);

  // 2. A healthy version, from v1 (the rollback left v1 on the primary).
  const healthyShipped = Date.now();
  const before = users.answers.length;
  await ship('3.0.0');
  await until('Succeeded');
  const promotedMs = Date.now() - healthyShipped;
  await sleep(5000);
  await users.stop();
  const healthy = users.answers.slice(before);
  const healthyFailed = healthy.filter((answer) => answer.status >= 500 || answer.status === 0).length;
  const steps = scheduleOf(canary.spec.analysis as Canary['spec']['analysis']).length;

  report(
    `bench:release  ${rate} requests/s through Traefik; interval ${metricInterval}, threshold ${threshold}, steps ${stepWeight}% to ${maxWeight}%`,
  );
  report('');
  report(`faulty ${SAMPLE_IMAGE}:2.0.0 failing ${errorRate * 100} % of requests:`);
  report(`  answers from it:        ${fromFaulty.length}, the first ${seconds(firstServed - faultyShipped)} after it was shipped`);
  report(
    `  decision time:          ${seconds(decisionMs)} from its first answer to its last (Failed recorded ${seconds(failedAt - firstServed)} after its first)`,
  );
  report(
    `    expected:             ${seconds(decisionFloorMs)} (interval × threshold; up to ${SCRAPE_INTERVAL_SECONDS} s more for a scrape)  ratio ${(decisionMs / decisionFloorMs).toFixed(2)}`,
  );
  report(`  blast radius:           ${failedRequests} failed requests users saw (${JSON.stringify(failedBy)})`);
  report(
    `    expected:             ${blastFloor.toFixed(0)} (rate × step weight × error rate × interval × threshold)  ratio ${(failedRequests / blastFloor).toFixed(2)}`,
  );
  report('');
  report(`healthy ${SAMPLE_IMAGE}:3.0.0:`);
  report(`  failed requests:        ${healthyFailed} of ${healthy.length}`);
  report(
    `  promoted after:         ${seconds(promotedMs)}; expected interval × steps = ${seconds(intervalMs * steps)}  ratio ${(promotedMs / (intervalMs * steps)).toFixed(2)}`,
  );
} finally {
  // The operator removes the Canary's finalizer, so it stops only once the namespace is gone.
  await recreateNamespace(client, namespace).catch(() => undefined);
  operator.kill('SIGTERM');
}
