// Run by `npm test` after `wren cluster down` (when the run started the cluster): nothing of the local
// cluster may be left on the machine: no process, no network namespace, no bridge or pod veth, no
// address of the pods' range.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { strayProcesses } from '../../src/localcluster/data-plane/data-plane.ts';
import { CLUSTER_DIR } from '../../src/localcluster/paths.ts';
import { leftovers } from '../../src/localcluster/runtime/pod-network.ts';
import { runCommand } from '../../src/localcluster/run-command.ts';

function processesUnder(dir: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .flatMap((entry) => {
      try {
        const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
        return command.includes(dir) ? [`${entry}: ${command.slice(0, 160)}`] : [];
      } catch {
        return [];
      }
    });
}

test('wren cluster down leaves no process, network namespace, bridge or address behind', async () => {
  assert.deepEqual(await leftovers(), { namespaces: [], links: [] });
  assert.deepEqual(strayProcesses(), []);
  assert.deepEqual(processesUnder(CLUSTER_DIR), [], 'no control-plane or data-plane process');
  const addresses = (await runCommand('ip', ['-o', 'addr', 'show'])).stdout;
  assert.doesNotMatch(addresses, /inet 10\.244\./, "no address of the pods' range");
});
