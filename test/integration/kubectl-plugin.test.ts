// kubectl wren ...: the real kubectl finds the built kubectl-wren on PATH, as npm links it, and runs
// it with the user's KUBECONFIG, the way `kubectl argo rollouts` works.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CANARIES, DEPLOYMENTS } from '../../src/kube/resource-types.ts';
import { appDeployment, canaryFor, waitForPhase } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster } from '../helpers/cluster.ts';
import { operatorFor } from '../helpers/operator-process.ts';

const BUILT_PLUGIN = fileURLToPath(new URL('../../dist/cli/kubectl-wren.js', import.meta.url));
const V1 = 'ghcr.io/example/podinfo:1.0.0';

test('kubectl wren: kubectl lists the plugin and runs it against the kubeconfig it was given', async (t) => {
  assert.ok(existsSync(BUILT_PLUGIN), 'dist/ is missing: run npm run build');
  const cluster = await useCluster();
  const namespace = await freshNamespace(t, cluster);
  operatorFor(t, cluster.kubeconfigPath, namespace);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', namespace, V1));
  await cluster.client.create(CANARIES, canaryFor('podinfo', namespace, {}));
  await waitForPhase(cluster, namespace, 'podinfo', 'Initialized');

  // What `npm install -g` does with the "kubectl-wren" bin: a link on PATH to the built file, executable.
  const bin = mkdtempSync(join(tmpdir(), 'kubectl-plugin-'));
  t.after(() => rmSync(bin, { recursive: true, force: true }));
  chmodSync(BUILT_PLUGIN, 0o755);
  symlinkSync(BUILT_PLUGIN, join(bin, 'kubectl-wren'));
  const env = {
    ...process.env,
    KUBECONFIG: cluster.kubeconfigPath,
    PATH: [bin, dirname(process.execPath), process.env.PATH].join(delimiter),
  };
  const kubectl = (...args: string[]) => promisify(execFile)(cluster.binaries.kubectl as string, args, { env, encoding: 'utf8' });

  const plugins = await kubectl('plugin', 'list');
  assert.match(plugins.stdout, new RegExp(`${join(bin, 'kubectl-wren')}$`, 'm'));

  const help = await kubectl('wren', '--help');
  assert.match(help.stdout, /^usage: kubectl wren <command>/);

  const status = await kubectl('wren', 'status', '-n', namespace);
  assert.match(status.stdout, /^podinfo\s.*Initialized/m);
});
