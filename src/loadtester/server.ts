// The load tester: an HTTP service to run next to apps that answers a Canary's webhooks. Every
// endpoint but GET /healthz needs the token (unless started --insecure without one).
//   POST /                 run load (metadata.type "load") to an allowed target, or an allowed command
//                          (metadata.type "cmd")
//   POST /gate/check       200 if the Canary's gate is open, 403 if closed (default)
//   POST /gate/open|close  open or close the gate of the Canary named in the payload
//   POST /gate/approve     always 200;  POST /gate/halt  always 403
//   POST /rollback/check   200 if a rollback was asked for, else 403;  /rollback/open|close set it
import express, { type Express, type Request, type Response } from 'express';
import { parseDuration } from '../api/duration.ts';
import type { Logger } from '../log.ts';
import { CommandPolicy, runCommand } from './commands.ts';
import { GateStore, gateKey } from './gates.ts';
import { runLoad, type LoadSpec } from './load.ts';
import { targetAllowed, targetOrigin, type TargetPattern } from './load-targets.ts';
import { requireToken, type TokenSource } from './require-token.ts';

interface HookPayload {
  name?: string;
  namespace?: string;
  phase?: string;
  metadata?: Record<string, string>;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;

export function loadSpecFrom(metadata: Record<string, string>): LoadSpec {
  const url = metadata.url;
  if (!url || !/^https?:\/\//.test(url) || !URL.canParse(url)) throw new Error('metadata.url must be an http(s) URL');
  const number = (field: string, fallback: number, max: number) => {
    const value = metadata[field] === undefined ? fallback : Number(metadata[field]);
    if (!Number.isFinite(value) || value <= 0 || value > max) throw new Error(`metadata.${field} must be a number between 0 and ${max}`);
    return value;
  };
  const durationMs = parseDuration(metadata.duration ?? '10s');
  if (durationMs === undefined || durationMs > 3_600_000) throw new Error('metadata.duration must be a duration up to 1h, e.g. 30s');
  return {
    url,
    rate: number('rate', 10, 10_000),
    concurrency: Math.round(number('concurrency', 2, 1000)),
    durationMs,
    ...(metadata.method ? { method: metadata.method.toUpperCase() } : {}),
    ...(metadata.host ? { headers: { host: hostHeader(metadata.host) } } : {}),
  };
}

/** A virtual host to ask the target for (a router's Host rule), as `hey -host` does: a DNS name with an optional port. */
function hostHeader(host: string): string {
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?(:\d{1,5})?$/i.test(host))
    throw new Error('metadata.host must be a host name, e.g. podinfo.example.test');
  return host;
}

export interface LoadTesterAppOptions {
  /** The token every request but GET /healthz must carry; 'none' only when started --insecure. */
  token: TokenSource | 'none';
  /** Origins load may go to; 'any' only when started --insecure without --allow-target. */
  loadTargets: readonly TargetPattern[] | 'any';
  allowedCommands: readonly string[];
  log: Logger;
}

export function createLoadTesterApp(options: LoadTesterAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  const gates = new GateStore();
  const rollbacks = new GateStore();
  const commands = new CommandPolicy(options.allowedCommands);
  const log = options.log;

  app.get('/healthz', (_request, response) => response.type('text/plain').send('ok'));
  // Checked before the body is parsed, so a caller without the token costs next to nothing.
  if (options.token !== 'none') app.use(requireToken(options.token, log));
  app.use(express.json({ limit: '1mb' }));

  const gateRoutes = (prefix: string, store: GateStore, closedMessage: string) => {
    app.post(`${prefix}/check`, (request: Request, response: Response) => {
      const key = gateKey(request.body as HookPayload);
      if (store.isOpen(key)) response.type('text/plain').send(`${prefix.slice(1)} open for ${key}`);
      else response.status(403).type('text/plain').send(`${closedMessage} for ${key}`);
    });
    for (const [action, open] of [
      ['open', true],
      ['close', false],
    ] as const) {
      app.post(`${prefix}/${action}`, (request: Request, response: Response) => {
        const key = gateKey(request.body as HookPayload);
        store.set(key, open);
        log.info({ gate: prefix.slice(1), key, open }, `${prefix.slice(1)} ${action}ed`);
        response.type('text/plain').send(`${prefix.slice(1)} ${open ? 'opened' : 'closed'} for ${key}`);
      });
    }
  };
  gateRoutes('/gate', gates, 'gate closed');
  gateRoutes('/rollback', rollbacks, 'no rollback requested');
  app.post('/gate/approve', (_request, response) => response.type('text/plain').send('approved'));
  app.post('/gate/halt', (_request, response) => response.status(403).type('text/plain').send('halted'));

  app.post('/', async (request: Request, response: Response) => {
    const payload = request.body as HookPayload;
    const metadata = payload.metadata ?? {};
    const type = metadata.type ?? (metadata.cmd ? 'cmd' : 'load');
    if (type === 'load') {
      let spec: LoadSpec;
      try {
        spec = loadSpecFrom(metadata);
      } catch (error) {
        response.status(400).json({ error: (error as Error).message });
        return;
      }
      if (options.loadTargets !== 'any' && !targetAllowed(options.loadTargets, spec.url)) {
        const origin = targetOrigin(spec.url);
        log.warn({ canary: gateKey(payload), origin }, 'load to a target that is not allowed refused');
        response
          .status(403)
          .json({ error: `load to ${origin} is not allowed: the load tester sends load only to origins given with --allow-target` });
        return;
      }
      if (metadata.wait === 'false') {
        void runLoad(spec).then((report) => log.info({ url: spec.url, ...report }, 'load finished'));
        response.status(202).json({ started: true, url: spec.url, rate: spec.rate, durationMs: spec.durationMs });
        return;
      }
      const report = await runLoad(spec);
      response.status(report.requests > 0 && report.successes === 0 ? 502 : 200).json(report);
      return;
    }
    if (type === 'cmd' || type === 'bash') {
      const command = metadata.cmd ?? '';
      if (!commands.enabled) {
        response.status(403).json({ error: 'running commands is disabled; start the load tester with --allow-command' });
        return;
      }
      if (!commands.allows(command)) {
        response.status(403).json({ error: 'the command is not in the allowlist' });
        return;
      }
      const timeoutMs = (metadata.timeout && parseDuration(metadata.timeout)) || DEFAULT_COMMAND_TIMEOUT_MS;
      const result = await runCommand(command, timeoutMs);
      log.info({ canary: gateKey(payload), command, exitCode: result.exitCode, timedOut: result.timedOut }, 'command finished');
      response.status(result.exitCode === 0 ? 200 : 500).json(result);
      return;
    }
    response.status(400).json({ error: `unknown metadata.type "${type}"; use load or cmd` });
  });
  return app;
}
