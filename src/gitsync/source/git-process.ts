// Spawns git (never through a shell) under a time limit. Unlike runCommand it leaves stdin closed
// unless there is input, and tolerates a git that exits before reading it: a fast failure must be
// reported as git's error, not crash the operator with EPIPE.
import { spawn } from 'node:child_process';
import type { CommandResult } from '../../localcluster/run-command.ts';

export function runGitProcess(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; input?: string },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const timer = options.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`${command} did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)}s`));
        }, options.timeoutMs)
      : undefined;
    if (child.stdin) {
      child.stdin.on('error', () => {}); // the exit code and stderr say what went wrong
      child.stdin.end(options.input);
    }
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
