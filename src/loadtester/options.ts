// wren loadtester settings from flags and environment. Without a token the load tester does not
// start: anyone who reaches it could open gates, ask for rollbacks and send load. --insecure is the
// explicit way back to Flagger's open load tester.
import { parseArgs } from 'node:util';
import { parseTargetPattern, type TargetPattern } from './load-targets.ts';

export const TOKEN_ENV = 'WREN_LOADTESTER_TOKEN';

export const LOADTESTER_USAGE = `usage: wren loadtester [flags]

  --address HOST:PORT       where to listen (default 0.0.0.0:8080)
  --token-file PATH         file holding the token every request but GET /healthz must send as
                            Authorization: Bearer <token>, normally a mounted Secret; read again
                            when it changes (or set ${TOKEN_ENV})
  --allow-target PATTERN    origin load may be sent to, scheme://host:port, with * for one DNS
                            label (http://*.test:9898); repeat for more; without any, no load
  --allow-command REGEX     command lines that may run (full match); repeat for more; without any,
                            no commands
  --insecure                what is not configured is open: without a token, no authentication;
                            without --allow-target, load to any URL (Flagger's load tester)

Answers Canary webhooks: /gate/{check,open,close,approve,halt}, /rollback/{check,open,close}, and
POST / with metadata {type: load, url, rate, concurrency, duration, wait} to generate traffic.
Commands (metadata {type: cmd, cmd}) run only when they fully match an --allow-command pattern.
`;

export class UsageError extends Error {}

export type TokenSetting = { source: 'file'; path: string } | { source: 'env'; token: string };

export interface LoadTesterOptions {
  host: string;
  port: number;
  /** Undefined only with --insecure. */
  token: TokenSetting | undefined;
  allowedTargets: TargetPattern[];
  allowedCommands: string[];
  insecure: boolean;
}

export function parseLoadTesterOptions(args: string[], env: NodeJS.ProcessEnv): LoadTesterOptions {
  if (args.some((arg) => arg === '--token' || arg.startsWith('--token='))) {
    throw new UsageError(`--token: a token on the command line shows in ps; use --token-file PATH or ${TOKEN_ENV}`);
  }
  const { values } = parseArgs({
    args,
    options: {
      address: { type: 'string', default: '0.0.0.0:8080' },
      'token-file': { type: 'string' },
      'allow-target': { type: 'string', multiple: true, default: [] },
      'allow-command': { type: 'string', multiple: true, default: [] },
      insecure: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const [host, port] = hostAndPort(values.address);
  const token = tokenSetting(values['token-file'], env[TOKEN_ENV]);
  if (!token && !values.insecure) {
    throw new UsageError(
      `the load tester needs a token: --token-file PATH (a mounted Secret) or ${TOKEN_ENV}; ` +
        'or --insecure to run without one, so that anyone who reaches it can open gates, ask for rollbacks and send load',
    );
  }
  return {
    host,
    port,
    token,
    allowedTargets: values['allow-target'].map((pattern) => {
      try {
        return parseTargetPattern(pattern);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }),
    allowedCommands: values['allow-command'].map(checkedCommandPattern),
    insecure: values.insecure,
  };
}

/** What --insecure leaves open, to log at start. */
export function insecureWarnings(options: LoadTesterOptions): string[] {
  if (!options.insecure) return [];
  return [
    ...(options.token
      ? []
      : ['--insecure without a token: anyone who reaches the load tester can open gates, ask for rollbacks and run allowed commands']),
    ...(options.allowedTargets.length > 0 ? [] : ['--insecure without --allow-target: load goes to any URL a request names']),
  ];
}

function tokenSetting(file: string | undefined, fromEnv: string | undefined): TokenSetting | undefined {
  if (file !== undefined && fromEnv !== undefined) throw new UsageError(`--token-file: give --token-file or ${TOKEN_ENV}, not both`);
  if (file !== undefined) {
    if (file.trim() === '') throw new UsageError('--token-file: give the path of the file that holds the token');
    return { source: 'file', path: file };
  }
  if (fromEnv !== undefined) {
    const token = fromEnv.trim();
    if (!token) throw new UsageError(`${TOKEN_ENV} is set but empty`);
    return { source: 'env', token };
  }
  return undefined;
}

function hostAndPort(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon < 0 || address.slice(colon + 1) === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--address: "${address}" is not HOST:PORT`);
  }
  return [address.slice(0, colon) || '0.0.0.0', port];
}

function checkedCommandPattern(pattern: string): string {
  try {
    new RegExp(pattern);
  } catch (error) {
    throw new UsageError(`--allow-command "${pattern}": not a regular expression (${(error as Error).message})`);
  }
  return pattern;
}
