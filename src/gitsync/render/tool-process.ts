// How the render step runs kustomize and helm: never through a shell, with a time limit, and with an
// environment of its own (a fresh HOME, no KUBECONFIG, no HELM_* or credentials of the operator), so
// a repository renders the same on every operator and reads nothing of the operator's user.
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, join, resolve } from 'node:path';
import { runCommand } from '../../localcluster/run-command.ts';
import { SyncError } from '../sync-error.ts';

export interface ToolRun {
  /** Private scratch directory (HOME), removed when the run ends. */
  home: string;
  /** Runs the tool; a failure becomes a render error that names `file` and quotes the tool's stderr. */
  run(command: string, args: string[], file: string): Promise<string>;
}

// Long tool output would flood status and events; the first lines say what went wrong.
const MAX_ERROR_LINES = 20;

export function toolEnvironment(home: string): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    TMPDIR: home,
    LC_ALL: 'C',
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    HELM_CACHE_HOME: join(home, 'helm', 'cache'),
    HELM_CONFIG_HOME: join(home, 'helm', 'config'),
    HELM_DATA_HOME: join(home, 'helm', 'data'),
    // kustomize fetches remote bases with git: never let it wait for a password prompt.
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
  };
}

/** Tool output names files by absolute path; users know them relative to the repository. */
export function explainToolFailure(stderr: string, root: string): string {
  const relative = stderr.split(`${root}/`).join('').split(root).join('.');
  const lines = relative
    .trim()
    .replace(/^Error: /, '')
    .split('\n')
    // Helm's hint about its --debug flag means nothing to someone who cannot pass flags.
    .filter((line) => line.trim() !== '' && !line.startsWith('Use --debug flag'));
  const shown = lines.slice(0, MAX_ERROR_LINES);
  if (lines.length > shown.length) shown.push(`... (${lines.length - shown.length} more lines)`);
  return shown.join('\n') || 'failed without a message';
}

/**
 * The program to start: a path as given (relative to the operator's working directory, as a flag
 * would mean it), a bare name looked up on the operator's PATH, since the child's PATH is minimal.
 */
export function locateProgram(command: string, path = process.env.PATH ?? ''): string {
  if (command.includes('/')) return resolve(command);
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return command;
}

export async function withToolRun<T>(root: string, timeoutMs: number, use: (tool: ToolRun) => Promise<T>): Promise<T> {
  const home = await mkdtemp(join(tmpdir(), 'wren-render-'));
  const env = toolEnvironment(home);
  const run = async (command: string, args: string[], file: string): Promise<string> => {
    const program = locateProgram(command);
    const name = basename(command);
    let result;
    try {
      result = await runCommand(program, args, { env, cwd: home, timeoutMs });
    } catch (error) {
      const message = (error as Error).message.split(program).join(name);
      // A spawn failure (ENOENT, EACCES) carries a code; the time limit does not.
      const cannotStart = (error as NodeJS.ErrnoException).code !== undefined;
      throw new SyncError('render', cannotStart ? `cannot run ${name}: ${message}` : message, { file });
    }
    if (result.code !== 0) throw new SyncError('render', explainToolFailure(result.stderr || result.stdout, root), { file });
    return result.stdout;
  };
  try {
    return await use({ home, run });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
