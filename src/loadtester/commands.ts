// Running commands for webhooks (acceptance tests, external load tools). Off unless the operator
// of the load tester allows it, and then only commands matching an allowlist pattern. Commands run
// without a shell, so ';', '&&', '|' or '$(...)' in a payload are plain arguments, never syntax.
import { spawn } from 'node:child_process';

export interface CommandResult {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
}

/** Splits a command line into arguments, honouring single and double quotes. */
export function splitArguments(commandLine: string): string[] {
  const args: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (const char of commandLine.trim()) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started || current) args.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (quote) throw new Error('unterminated quote in command');
  if (started || current) args.push(current);
  return args;
}

export class CommandPolicy {
  private readonly patterns: RegExp[];

  constructor(patterns: readonly string[]) {
    this.patterns = patterns.map((pattern) => new RegExp(`^(?:${pattern})$`));
  }

  get enabled(): boolean {
    return this.patterns.length > 0;
  }

  allows(commandLine: string): boolean {
    return this.patterns.some((pattern) => pattern.test(commandLine.trim()));
  }
}

export function runCommand(commandLine: string, timeoutMs: number): Promise<CommandResult> {
  const [command, ...args] = splitArguments(commandLine);
  if (!command) return Promise.resolve({ exitCode: null, output: 'empty command', timedOut: false });
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < 64_000) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => resolve({ exitCode: null, output: error.message, timedOut: false }));
    child.on('close', (code, signal) => resolve({ exitCode: code, output, timedOut: signal === 'SIGKILL' && code === null }));
  });
}
