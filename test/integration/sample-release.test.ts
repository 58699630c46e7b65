// `npm start` on the embedded default: the operator, run with no kubeconfig, finds the local cluster,
// installs the sample release and prints next steps. The test follows those steps as printed: the
// exported PATH and KUBECONFIG, the kubectl patches, and `wren status --until-done` for the verdict.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SAMPLE_HOST, SAMPLE_NAMESPACE } from '../../src/localcluster/sample-app/manifests.ts';
import { dataPlaneInfo } from '../../src/localcluster/data-plane/data-plane.ts';
import { BINARY_CACHE_DIR } from '../../src/localcluster/paths.ts';
import { CANARIES, NAMESPACES } from '../../src/kube/resource-types.ts';
import { isNotFound } from '../../src/kube/api-error.ts';
import { getDeployment, imageOf, waitForPhase } from '../helpers/canary-fixtures.ts';
import { useCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { LoggedProcess } from '../helpers/operator-process.ts';
import { throughRouter } from '../helpers/router-request.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** A previous run's sample release, gone: without an operator its Canary's finalizer must be lifted by hand. */
async function removeSample(cluster: TestCluster): Promise<void> {
  await cluster
    .kubectl(['patch', 'canary', 'web', '-n', SAMPLE_NAMESPACE, '--type=merge', '-p', '{"metadata":{"finalizers":[]}}'])
    .catch(() => '');
  await cluster.client.delete(NAMESPACES, undefined, SAMPLE_NAMESPACE).catch(() => undefined);
  await eventually(
    'the old sample namespace to go',
    async () => {
      try {
        await cluster.client.get(NAMESPACES, undefined, SAMPLE_NAMESPACE);
        return false;
      } catch (error) {
        return isNotFound(error);
      }
    },
    { timeoutMs: 120_000 },
  );
}

/** The printed `export PATH=... KUBECONFIG=...` line, as the environment of the commands after it. */
function exportedEnv(printed: string): NodeJS.ProcessEnv {
  const line = printed.split('\n').find((candidate) => candidate.trim().startsWith('export PATH='));
  assert.ok(line, `the next steps say what to export:\n${printed}`);
  const [, binDir, kubeconfig] = /export PATH=(\S+):\$PATH KUBECONFIG=(\S+)/.exec(line) ?? [];
  return { ...process.env, PATH: `${binDir}:${process.env.PATH}`, KUBECONFIG: kubeconfig };
}

function printedCommand(printed: string, contains: string): string {
  const line = printed.split('\n').find((candidate) => candidate.includes(contains));
  assert.ok(line, `the next steps offer "${contains}"`);
  return line.trim().split(/\s{2,}#/)[0] as string;
}

const shell = (command: string, env: NodeJS.ProcessEnv) =>
  spawnSync('/bin/sh', ['-c', command], { env, encoding: 'utf8', timeout: 300_000 });

async function versionsServed(router: string, n: number): Promise<Record<string, number>> {
  const versions: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const answer = await throughRouter(router, SAMPLE_HOST);
    const version = `${answer.status} ${answer.headers['x-demo-version']}`;
    versions[version] = (versions[version] ?? 0) + 1;
  }
  return versions;
}

test('npm start on the embedded cluster releases the sample app: v2 is promoted, a faulty v3 is rolled back, and --until-done exits 0 then 1', async (t) => {
  const cluster = await useCluster();
  const dataPlane = dataPlaneInfo();
  assert.ok(dataPlane, 'the data plane runs');
  await removeSample(cluster);
  // No kubeconfig anywhere: the embedded default, as a newcomer's `npm start` runs it. The operator
  // watches only the sample's namespace, so other tests' canaries in this shared cluster stay theirs.
  // (A home of its own hides any ~/.kube/config; the built binaries stay where they are.)
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: mkdtempSync(join(tmpdir(), 'wren-home-')), WREN_CACHE_DIR: BINARY_CACHE_DIR };
  delete env.KUBECONFIG;
  const operator = new LoggedProcess(
    process.execPath,
    [MAIN, 'operator', '--watch-namespace', SAMPLE_NAMESPACE, '--no-leader-elect', '--http-address', '127.0.0.1:0'],
    env,
  );
  t.after(async () => {
    await operator.stop();
    await removeSample(cluster);
  });
  await operator.waitForLog('the next steps', (line) => line.level === 'raw' && line.msg.includes('--until-done'), 180_000);
  const printed = operator.logs
    .filter((line) => line.level === 'raw')
    .map((line) => line.msg)
    .join('\n');
  const steps = exportedEnv(printed);

  await waitForPhase(cluster, SAMPLE_NAMESPACE, 'web', 'Initialized', 120_000);
  assert.deepEqual(
    await eventually('v1 to answer', async () => {
      const versions = await versionsServed(dataPlane.router.http, 20);
      return versions['200 1.0.0'] === 20 ? versions : undefined;
    }),
    { '200 1.0.0': 20 },
    'v1 answers through the router',
  );
  const canary = await cluster.client.get<{ spec: { provider: string } }>(CANARIES, SAMPLE_NAMESPACE, 'web');
  assert.equal(canary.spec.provider, 'traefik');

  const untilDone = printedCommand(printed, '--until-done');
  const shipV2 = shell(printedCommand(printed, 'v2.yaml'), steps);
  assert.equal(shipV2.status, 0, shipV2.stderr);
  const v2 = shell(untilDone, steps);
  assert.equal(v2.status, 0, `--until-done exits 0 once v2 is promoted:\n${v2.stdout}${v2.stderr}`);
  assert.match(v2.stdout, /release succeeded/);
  assert.match(v2.stdout, /request-success-rate +metric +[\d.]+ +>= 99 +pass/, 'the view showed the measured success rate');
  assert.equal(imageOf(await getDeployment(cluster, SAMPLE_NAMESPACE, 'web-primary')), 'ghcr.io/wren-dev/demo-app:2.0.0');
  assert.deepEqual(await versionsServed(dataPlane.router.http, 50), { '200 2.0.0': 50 }, 'after promotion v2 answers');

  const shipV3 = shell(printedCommand(printed, 'v3-faulty.yaml'), steps);
  assert.equal(shipV3.status, 0, shipV3.stderr);
  const v3 = shell(untilDone, steps);
  assert.equal(v3.status, 1, `--until-done exits 1 once the faulty v3 is rolled back:\n${v3.stdout}${v3.stderr}`);
  assert.match(v3.stdout, /release failed/);
  assert.match(v3.stdout, /request-success-rate +metric +[\d.]+ +>= 99 +FAIL/, 'the view showed the failing success rate');
  assert.equal(imageOf(await getDeployment(cluster, SAMPLE_NAMESPACE, 'web-primary')), 'ghcr.io/wren-dev/demo-app:2.0.0');
  assert.deepEqual(await versionsServed(dataPlane.router.http, 50), { '200 2.0.0': 50 }, 'after the rollback v2 still answers');
});
