// Runs `wren operator` as a real child process, the way users run it, and reads its JSON logs.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A child process that logs JSON lines (pino), with its logs kept for the test to read. */
export class LoggedProcess {
  readonly logs: LogLine[] = [];
  readonly child: ChildProcess;
  private exitCode: number | null | undefined;
  private killedAfterGrace = false;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let buffered = '';
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.logs.push({ level: 'raw', msg: line });
        }
      }
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) this.logs.push({ level: 'stderr', msg: line });
    });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      }),
    );
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  async waitForLog(description: string, match: (line: LogLine) => boolean, timeoutMs = 60_000): Promise<LogLine> {
    return eventually(
      description,
      () => {
        if (!this.running && !this.logs.some(match)) throw new Error(`process exited (${this.exitCode}): ${this.tail()}`);
        return this.logs.find(match);
      },
      { timeoutMs },
    );
  }

  tail(lines = 15): string {
    return this.logs
      .slice(-lines)
      .map((line) => `${line.level} ${line.msg}`)
      .join('\n');
  }

  /**
   * Stops the process with a signal and waits for it; SIGKILL simulates a crash. A process that
   * ignores SIGTERM for longer than the grace period is killed, so a wedged one cannot hang the
   * test run; `stoppedCleanly` then tells the test.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<number | null> {
    if (!this.running) return this.exited;
    this.child.kill(signal);
    const killer = setTimeout(() => {
      this.killedAfterGrace = true;
      this.child.kill('SIGKILL');
    }, graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(killer);
    }
  }

  /** False when the last stop had to fall back to SIGKILL. */
  get stoppedCleanly(): boolean {
    return !this.killedAfterGrace;
  }
}

/** `wren operator` from the sources, on a loopback port of its choosing, logging at debug. */
export class OperatorProcess extends LoggedProcess {
  constructor(kubeconfig: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
    super(
      process.execPath,
      [MAIN, 'operator', '--kubeconfig', kubeconfig, '--http-address', '127.0.0.1:0', '--log-level', 'debug', ...args],
      { ...process.env, ...env },
    );
  }

  /** The HTTP port the operator bound (it is started on port 0). */
  async httpPort(): Promise<number> {
    const line = await this.waitForLog('the HTTP server', (entry) => entry.msg === 'operator HTTP server listening');
    return (line.address as { port: number }).port;
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`http://127.0.0.1:${await this.httpPort()}${path}`);
    return { status: response.status, body: await response.text() };
  }
}

/** An operator confined to one test namespace (its watches and its leader Lease), stopped after the test. */
export function operatorFor(
  t: { after(fn: () => Promise<unknown>): void },
  kubeconfig: string,
  namespace: string,
  args: string[] = [],
): OperatorProcess {
  const operator = new OperatorProcess(kubeconfig, ['--watch-namespace', namespace, '--lease-namespace', namespace, ...args]);
  t.after(async () => {
    await operator.stop();
    if (!operator.stoppedCleanly) throw new Error(`the operator ignored SIGTERM and was killed: ${operator.tail()}`);
  });
  return operator;
}
