import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCommand } from '../../src/localcluster/run-command.ts';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

test('a process that exits before reading its input is reported by its exit code, not an EPIPE crash', async () => {
  const result = await runCommand('sh', ['-c', 'echo refused >&2; exit 3'], { env, input: 'x'.repeat(4 * 1024 * 1024) });
  assert.deepEqual(result, { code: 3, stdout: '', stderr: 'refused\n' });
});

test('input reaches the process and output comes back', async () => {
  assert.equal((await runCommand('cat', [], { env, input: 'hello' })).stdout, 'hello');
  assert.equal((await runCommand('sh', ['-c', 'test -t 0 || cat'], { env })).stdout, '', 'no input: stdin is closed');
});

test('a process past its time limit is killed and the call fails', async () => {
  await assert.rejects(runCommand('sleep', ['30'], { env, timeoutMs: 200 }), /did not finish within/);
});
