// wren sync now NAME [--wait]: sync at once instead of at the next interval, fetching the remote again.
import { requestedAtValue, requestSync } from '../../gitsync/sync-request.ts';
import { connect, parseCommand } from '../kube-flags.ts';
import { parseTimeout } from '../wait-for-status.ts';
import { waitUntilHandled } from './wait-handled.ts';
import { PROGRAM } from '../program-name.ts';

const USAGE = `usage: ${PROGRAM} sync now NAME [-n NAMESPACE] [--kubeconfig PATH] [--wait [--timeout 2m]]\n`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    wait: { type: 'boolean' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const [name] = positionals;
  if (values.help || !name) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const timeoutMs = parseTimeout(values.timeout, 120_000);
  const { client, namespace } = connect(values);
  const now = new Date();
  await requestSync(client, namespace, name, now);
  process.stdout.write(`requested a sync of gitsync ${namespace}/${name}\n`);
  if (!values.wait) return 0;
  const handled = await waitUntilHandled(client, namespace, name, requestedAtValue(now), timeoutMs);
  if (!handled) {
    process.stderr.write('the operator has not handled the request yet; is it running? (wren sync status shows the outcome later)\n');
    return 1;
  }
  const ready = handled.status?.conditions?.find((condition) => condition.type === 'Ready');
  const revision = handled.status?.lastAppliedRevision ?? 'no revision';
  process.stdout.write(
    `Ready=${ready?.status ?? 'Unknown'} (${ready?.reason ?? 'no Ready condition'}) at ${revision}: ${ready?.message ?? ''}\n`,
  );
  return ready?.status === 'False' ? 1 : 0;
}
