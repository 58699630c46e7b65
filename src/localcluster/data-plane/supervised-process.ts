// A long-running helper process of the data plane (the router, Prometheus): started with its output
// in a log file, started again with backoff when it exits, stopped with SIGTERM (then SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { backoffDelay } from '../../kube/backoff.ts';
import type { Logger } from '../../log.ts';

const RESTART_BACKOFF = { baseMs: 1000, maxMs: 30_000, jitter: 0.2 };
const STOP_GRACE_MS = 10_000;

export class SupervisedProcess {
  private readonly name: string;
  private readonly command: string;
  private readonly args: string[];
  private readonly logFile: string;
  private readonly log: Logger;
  private child: ChildProcess | undefined;
  private failures = 0;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;

  private readonly env: NodeJS.ProcessEnv;

  /** `env`: the process's whole environment (nothing of the data plane's own leaks into it). */
  constructor(
    name: string,
    command: string,
    args: string[],
    logFile: string,
    log: Logger,
    env: NodeJS.ProcessEnv = { PATH: process.env.PATH },
  ) {
    this.name = name;
    this.env = env;
    this.command = command;
    this.args = args;
    this.logFile = logFile;
    this.log = log;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.stopping) return;
    mkdirSync(dirname(this.logFile), { recursive: true });
    const output = openSync(this.logFile, 'a');
    writeSync(output, `--- ${new Date().toISOString()} start ${this.name}\n`);
    const child = spawn(this.command, this.args, { stdio: ['ignore', output, output], detached: true, env: this.env });
    closeSync(output);
    this.child = child;
    const started = Date.now();
    child.once('error', (error) => this.log.error({ process: this.name, err: error.message }, 'cannot start'));
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.failures = Date.now() - started > 60_000 ? 1 : this.failures + 1;
      const delay = backoffDelay(RESTART_BACKOFF, this.failures);
      this.log.warn({ process: this.name, code, signal, retryInMs: delay, log: this.logFile }, 'exited; starting it again');
      this.timer = setTimeout(() => this.start(), delay);
    });
  }

  /** Stops the process so that it starts again at once, as after any exit (to read a new configuration). */
  restart(): void {
    const pid = this.child?.pid;
    if (!pid || this.stopping) return;
    this.failures = 0;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // Gone already: it is starting again anyway.
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid as number), name);
      } catch {
        // Gone already.
      }
    };
    signal('SIGTERM');
    const killer = setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(killer);
  }
}
