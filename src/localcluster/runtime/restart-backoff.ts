// When a container that exited is started again, as a kubelet does: 10 s, doubling to 5 minutes, and
// back to 10 s once it has run for 10 minutes without exiting.
export const RESTART_BACKOFF = { baseMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

/** Delay before the next start, given how many times it was restarted already. */
export function restartDelay(restarts: number, policy = RESTART_BACKOFF): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(restarts, 20)));
}

/** Restarts that still count for the backoff after a run of `ranForMs`. */
export function restartsAfterRun(restarts: number, ranForMs: number, policy = RESTART_BACKOFF): number {
  return ranForMs >= policy.resetAfterMs ? 0 : restarts;
}
