// wren promote | abort | retry: ask the operator for a manual action through the Canary's
// wren.dev/request annotation, then wait until it has been handled and report the outcome.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Canary } from '../api/canary.ts';
import type { RequestAction } from '../canary/engine-types.ts';
import { formatRequest, REQUEST_ANNOTATION } from '../canary/requests.ts';
import { CANARIES } from '../kube/resource-types.ts';
import { connect, parseCommand } from './kube-flags.ts';
import { PROGRAM } from './program-name.ts';

const SUMMARY: Record<string, string> = {
  promote: 'continue past a pause, or promote now skipping the remaining steps (--full: always skip them)',
  abort: 'roll the current release back now',
  retry: 'run a failed revision again without changing it',
};

export function requestCommand(action: 'promote' | 'abort' | 'retry') {
  return async function run(args: string[]): Promise<number> {
    const { values, positionals } = parseCommand(args, {
      full: { type: 'boolean' },
      wait: { type: 'boolean' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    const [name] = positionals;
    if (values.help || !name) {
      process.stdout.write(
        `usage: ${PROGRAM} ${action} NAME [-n NAMESPACE] [--kubeconfig PATH]${action === 'promote' ? ' [--full]' : ''} [--no-wait]\n\n${SUMMARY[action]}\n`,
      );
      return values.help ? 0 : 2;
    }
    const { client, namespace } = connect(values);
    const requestAction: RequestAction = action === 'promote' && values.full ? 'promote-full' : action;
    const id = formatRequest(requestAction, new Date());
    await client.mergePatch(CANARIES, namespace, name, { metadata: { annotations: { [REQUEST_ANNOTATION]: id } } });
    process.stdout.write(`requested ${requestAction} of canary ${namespace}/${name}\n`);
    if (values.wait === false) return 0;
    const deadline = Date.now() + Number(values.timeout ?? 60) * 1000;
    while (Date.now() < deadline) {
      const canary = await client.get<Canary>(CANARIES, namespace, name);
      if (canary.status?.lastHandledRequest === id) {
        process.stdout.write(`${canary.status.phase}: ${canary.status.message ?? ''}\n`);
        return 0;
      }
      await sleep(500);
    }
    process.stderr.write('the operator has not handled the request yet; is it running? (wren status shows the outcome later)\n');
    return 1;
  };
}
