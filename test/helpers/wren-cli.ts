// Runs the wren CLI from the sources as a child process, asynchronously (servers the test runs, such
// as a webhook receiver, keep answering meanwhile), with its exit code and output.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface WrenRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runWren(kubeconfig: string, ...args: string[]): Promise<WrenRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [MAIN, ...args, '--kubeconfig', kubeconfig], {
      encoding: 'utf8',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
