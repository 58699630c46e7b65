// The commit message of a revert Wren writes after a failed canary: what was put back, which canary
// failed which revision, and the checks that failed with their values and thresholds, so the history
// of the branch says why the release was undone. Trailers name the reverted commit and the Canary.
import type { Canary } from '../api/canary.ts';
import type { ImageSwap } from '../imagepolicy/writeback/image-swap.ts';

export const REVERTS_TRAILER = 'Wren-Reverts';
export const CANARY_TRAILER = 'Wren-Canary';

type Check = NonNullable<NonNullable<Canary['status']>['checks']>[number];

/** The newest failed record of each check, in the order status lists them (newest first). */
function failedChecks(canary: Canary): Check[] {
  const seen = new Set<string>();
  return (canary.status?.checks ?? []).filter((check) => {
    if (seen.has(check.name)) return false;
    seen.add(check.name);
    return !check.passed;
  });
}

function describeCheck(check: Check): string {
  const value = check.value === undefined ? undefined : Number.isInteger(check.value) ? String(check.value) : check.value.toFixed(2);
  const measured = [value, check.threshold ? `(threshold ${check.threshold})` : undefined, check.message].filter(Boolean).join(' ');
  return `- ${check.name}${check.kind === 'webhook' ? ' (webhook)' : ''}: ${measured || 'failed'}`;
}

export interface RevertFacts {
  canary: Canary;
  gitSync: string;
  revision: string;
  swaps: readonly ImageSwap[];
}

export function revertMessage({ canary, gitSync, revision, swaps }: RevertFacts): string {
  const name = `${canary.metadata?.namespace}/${canary.metadata?.name}`;
  const status = canary.status ?? {};
  const restored = swaps.length > 0 ? swaps.map((swap) => swap.to).join(', ') : `before ${revision.slice(0, 12)}`;
  const checks = failedChecks(canary).map(describeCheck);
  return [
    `Revert ${canary.spec.targetRef.name} to ${restored}: canary failed`,
    '',
    `Canary ${name} failed revision ${revision.slice(0, 12)} (GitSync ${gitSync}): ${status.reason ?? 'Failed'}${status.message ? `: ${status.message}` : ''}`,
    ...(checks.length > 0 ? ['', 'Failed checks:', ...checks] : []),
    '',
    ...swaps.map((swap) => `${swap.from} -> ${swap.to}`),
    '',
    `${REVERTS_TRAILER}: ${revision}`,
    `${CANARY_TRAILER}: ${name}`,
    '',
  ].join('\n');
}
