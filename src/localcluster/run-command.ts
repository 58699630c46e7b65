import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, never through a shell, and collects its output. */
export function runCommand(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; onOutput?: (line: string) => void; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      // No input: stdin is /dev/null, so nothing can wait on it.
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const timer = options.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`${command} did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)}s`));
        }, options.timeoutMs)
      : undefined;
    if (child.stdin) {
      // A child that exits without reading its input must not crash us with EPIPE: its exit code and
      // stderr say what went wrong.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
    let stdout = '';
    let stderr = '';
    const forward = (chunk: string) => {
      if (!options.onOutput) return;
      for (const line of chunk.split('\n')) if (line.trim()) options.onOutput(line);
    };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      forward(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      forward(chunk);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // 'close', not 'exit': only then has all of the child's output been read.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

export async function runChecked(command: string, args: string[], options: Parameters<typeof runCommand>[2] = {}): Promise<string> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`);
  }
  return result.stdout;
}
