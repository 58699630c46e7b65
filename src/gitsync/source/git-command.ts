// One git invocation with the safety options, the prepared environment and a time limit; a failure
// becomes a SyncError (stage fetch unless told otherwise) whose message says why in git's words,
// scrubbed of every secret.
import type { CommandResult } from '../../localcluster/run-command.ts';
import { SyncError, type SyncStage } from '../sync-error.ts';
import { gitFailureReason } from './git-failure.ts';
import { gitSafetyOptions } from './git-environment.ts';
import { runCommand } from '../../localcluster/run-command.ts';
import type { RepositoryUrl } from './repository-url.ts';

export interface GitRunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
}

export interface GitRunner {
  /** Runs git; throws a SyncError saying `context: reason` when it fails. */
  (args: string[], context: string, options?: GitRunOptions): Promise<string>;
  /** Runs git and hands back the result whatever the exit code (still throws on a timeout). */
  tolerant(args: string[], context: string, options?: GitRunOptions): Promise<CommandResult>;
  /** The SyncError for a failed run, scrubbed like every other. */
  failure(result: CommandResult, context: string): SyncError;
}

export function gitRunner(settings: {
  git: string;
  url: RepositoryUrl;
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number;
  secrets: string[];
  hadCredentials: boolean;
  stage?: SyncStage;
}): GitRunner {
  const stage = settings.stage ?? 'fetch';
  const tolerant = async (args: string[], context: string, options: GitRunOptions = {}) => {
    try {
      return await runCommand(settings.git, [...gitSafetyOptions(settings.url), ...args], {
        env: { ...settings.env, ...options.env },
        ...(options.input !== undefined ? { input: options.input } : {}),
        cwd: settings.cwd,
        timeoutMs: settings.timeoutMs,
      });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new SyncError(stage, `${context}: ${gitFailureReason(why, settings.secrets, settings.hadCredentials)}`);
    }
  };
  const run = async (args: string[], context: string, options: GitRunOptions = {}) => {
    const result = await tolerant(args, context, options);
    if (result.code !== 0) throw failure(result, context);
    return result.stdout;
  };
  const failure = (result: CommandResult, context: string) =>
    new SyncError(stage, `${context}: ${gitFailureReason(result.stderr || result.stdout, settings.secrets, settings.hadCredentials)}`);
  return Object.assign(run, { tolerant, failure });
}
