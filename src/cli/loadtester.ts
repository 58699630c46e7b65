// wren loadtester: the webhook companion of a Canary (gates, load generation, allowed commands).
import { parseArgs } from 'node:util';
import { createLoadTesterApp } from '../loadtester/server.ts';
import { createLogger } from '../log.ts';
import { listen } from '../server/http-server.ts';

const USAGE = `usage: wren loadtester [--address 0.0.0.0:8080] [--allow-command REGEX ...]

Answers Canary webhooks: /gate/{check,open,close,approve,halt}, /rollback/{check,open,close}, and
POST / with metadata {type: load, url, rate, concurrency, duration, wait} to generate traffic.
Commands (metadata {type: cmd, cmd}) run only when they fully match an --allow-command pattern.
`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      address: { type: 'string', default: '0.0.0.0:8080' },
      'allow-command': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const log = createLogger();
  const colon = values.address.lastIndexOf(':');
  const app = createLoadTesterApp({ allowedCommands: values['allow-command'], log });
  const server = await listen(app, Number(values.address.slice(colon + 1)), values.address.slice(0, colon) || '0.0.0.0');
  log.info({ address: server.address(), commands: values['allow-command'].length > 0 }, 'load tester listening');
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
