// wren status NAME --watch: redraws the release view on every change of the Canary; with
// --until-done it returns once the release the target now asks for has ended (0 succeeded, 1 failed,
// once no pod of the failed version is left to answer).
import type { Canary } from '../api/canary.ts';
import { isNotFound } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/client.ts';
import type { KubeObject } from '../kube/objects.ts';
import { CANARIES, DEPLOYMENTS } from '../kube/resource-types.ts';
import type { Deployment } from '../workload/workload-types.ts';
import { ObjectGone, followObject } from './object-watch.ts';
import { failedVersionServes, releaseOutcome, renderRelease, type ReleaseOutcome } from './release-view.ts';

const CLEAR_SCREEN = '\x1b[H\x1b[2J';

async function targetGeneration(client: KubeClient, canary: Canary): Promise<number | undefined> {
  if (canary.spec.targetRef.kind !== 'Deployment') return undefined;
  try {
    const target = await client.get<KubeObject>(DEPLOYMENTS, canary.metadata?.namespace, canary.spec.targetRef.name);
    return target.metadata?.generation;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Exit codes: 0 succeeded (or watched until interrupted), 1 failed, 2 no verdict within `timeoutMs`. */
export async function watchRelease(
  client: KubeClient,
  namespace: string,
  name: string,
  untilDone: boolean,
  timeoutMs?: number,
): Promise<number> {
  const interactive = process.stdout.isTTY === true;
  const interrupted = new AbortController();
  const timedOut = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  const stop = timedOut ? AbortSignal.any([interrupted.signal, timedOut]) : interrupted.signal;
  const interrupt = () => interrupted.abort();
  process.once('SIGINT', interrupt);
  let outcome: ReleaseOutcome | undefined;
  let drained = false;
  let shown = '';
  try {
    let rolledBack: Canary | undefined;
    await followObject<Canary>(
      client,
      CANARIES,
      namespace,
      name,
      async (canary) => {
        const view = renderRelease(canary, new Date());
        if (interactive) process.stdout.write(`${CLEAR_SCREEN}${view}`);
        else if (view !== shown) process.stdout.write(`${view}\n`);
        shown = view;
        if (!untilDone) return false;
        outcome = releaseOutcome(canary, await targetGeneration(client, canary));
        if (outcome === 'failed') rolledBack = canary;
        return outcome !== undefined;
      },
      stop,
    );
    if (rolledBack?.spec.targetRef.kind === 'Deployment') {
      process.stdout.write('rolled back; waiting for the pods of the failed version to go\n');
      await followObject<Deployment>(
        client,
        DEPLOYMENTS,
        namespace,
        rolledBack.spec.targetRef.name,
        (target) => (drained = !failedVersionServes(target.status)),
        stop,
      );
    }
  } catch (error) {
    if (!(error instanceof ObjectGone)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', interrupt);
  }
  if (timedOut?.aborted && !interrupted.signal.aborted) {
    if (outcome === undefined) {
      process.stderr.write(`no verdict within ${timeoutMs} ms\n`);
      return 2;
    }
    if (outcome === 'failed' && !drained) process.stderr.write(`pods of the failed version were still running after ${timeoutMs} ms\n`);
  }
  if (outcome) process.stdout.write(`release ${outcome}\n`);
  return outcome === 'failed' ? 1 : 0;
}
