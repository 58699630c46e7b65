// What the benchmarks share: a fresh namespace, and the built operator started as production runs
// it, on a free port of its own.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { KubeClient } from '../../src/kube/client.ts';
import { NAMESPACES } from '../../src/kube/resource-types.ts';
import { freePort } from '../../test/helpers/prometheus.ts';

export async function recreateNamespace(client: KubeClient, name: string): Promise<void> {
  await client.delete(NAMESPACES, undefined, name).catch(() => undefined);
  while (
    await client.get(NAMESPACES, undefined, name).then(
      () => true,
      () => false,
    )
  )
    await sleep(500);
  await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export interface BuiltOperator {
  child: ChildProcess;
  port: number;
}

/** Runs dist/cli/main.js operator with the package's Node options; the port is chosen beforehand. */
export async function startBuiltOperator(
  kubeconfig: string,
  args: string[],
  stdio: StdioOptions,
  port?: number,
  extra: { nodeOptions?: string[]; cwd?: string } = {},
): Promise<BuiltOperator> {
  const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
  const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    config: { operatorNodeOptions: string };
  };
  const httpPort = port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [
      ...packageJson.config.operatorNodeOptions.split(' '),
      ...(extra.nodeOptions ?? []),
      main,
      'operator',
      '--kubeconfig',
      kubeconfig,
      '--http-address',
      `127.0.0.1:${httpPort}`,
      ...args,
    ],
    { stdio, ...(extra.cwd ? { cwd: extra.cwd } : {}) },
  );
  return { child, port: httpPort };
}

export async function waitForReady(port: number): Promise<void> {
  while (
    !(await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (response) => response.ok,
      () => false,
    ))
  )
    await sleep(100);
}
