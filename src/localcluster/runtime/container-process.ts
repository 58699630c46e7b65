// One container's process: started inside the pod's network namespace, with the pod's name as its
// hostname and exactly the environment the container gets (nothing inherited from the runtime), its
// output appended to the container's log file, and stopped as a kubelet stops it (SIGTERM, then
// SIGKILL after the grace period).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ProcessPlan } from './known-images.ts';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What every process gets besides the container's environment, as an image's base layers would. */
const BASE_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };

export class ContainerProcess {
  private readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  private exit: Exit | undefined;

  constructor(netns: string, hostname: string, plan: ProcessPlan, env: Record<string, string>, logFile: string, note: string) {
    mkdirSync(dirname(logFile), { recursive: true });
    const log = openSync(logFile, 'a');
    writeSync(log, `--- ${new Date().toISOString()} ${note}\n`);
    // A UTS namespace of its own with the pod's name as hostname, as every pod has. Every step execs
    // the next (ip, unshare, sh, the app), so the process the runtime watches and signals is the app.
    const inPod = ['unshare', '--uts', '--', '/bin/sh', '-c', 'hostname "$0" && exec "$@"', hostname, plan.command, ...plan.args];
    this.child = spawn('ip', ['netns', 'exec', netns, ...inPod], {
      env: { ...BASE_ENV, ...env },
      stdio: ['ignore', log, log],
      detached: true,
    });
    closeSync(log);
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        this.exit ??= { code, signal };
        resolve(this.exit);
      };
      this.child.once('exit', done);
      this.child.once('error', () => done(127, null));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  private signal(signal: NodeJS.Signals): void {
    if (!this.running || !this.child.pid) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** SIGTERM, then SIGKILL when it has not exited within the grace period. */
  async stop(graceMs: number): Promise<Exit> {
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
