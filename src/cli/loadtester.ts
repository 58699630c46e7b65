// wren loadtester: the webhook companion of a Canary (gates, load generation, allowed commands).
import { errorMessage } from '../errors.ts';
import {
  insecureWarnings,
  LOADTESTER_USAGE,
  parseLoadTesterOptions,
  TOKEN_ENV,
  UsageError,
  type LoadTesterOptions,
} from '../loadtester/options.ts';
import type { TokenSource } from '../loadtester/require-token.ts';
import { createLoadTesterApp } from '../loadtester/server.ts';
import { TokenFile } from '../loadtester/token-file.ts';
import { createLogger } from '../log.ts';
import { listen } from '../server/http-server.ts';

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(LOADTESTER_USAGE);
    return 0;
  }
  let options: LoadTesterOptions;
  try {
    options = parseLoadTesterOptions(args, process.env);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`wren loadtester: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
  // Commands the load tester runs inherit its environment; the token stays out of it.
  delete process.env[TOKEN_ENV];
  const token = await tokenSource(options);
  const log = createLogger();
  for (const warning of insecureWarnings(options)) log.warn(warning);
  const app = createLoadTesterApp({
    token: token ?? 'none',
    loadTargets: options.allowedTargets.length === 0 && options.insecure ? 'any' : options.allowedTargets,
    allowedCommands: options.allowedCommands,
    log,
  });
  const server = await listen(app, options.port, options.host);
  log.info(
    {
      address: server.address(),
      auth: options.token ? `token from ${options.token.source === 'file' ? '--token-file' : TOKEN_ENV}` : 'none (--insecure)',
      targets: options.allowedTargets.map((target) => target.text),
      commands: options.allowedCommands.length > 0,
    },
    'load tester listening',
  );
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}

/** Reads a token file once before listening, so a missing or empty one stops the start with its reason. */
async function tokenSource(options: LoadTesterOptions): Promise<TokenSource | undefined> {
  const setting = options.token;
  if (!setting) return undefined;
  if (setting.source === 'env') return async () => setting.token;
  const file = new TokenFile(setting.path);
  try {
    await file.read();
  } catch (error) {
    throw new Error(`--token-file ${setting.path}: ${errorMessage(error)}`);
  }
  return () => file.read();
}
