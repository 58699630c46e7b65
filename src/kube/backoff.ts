// Exponential backoff with jitter, as a pure function so every caller (watch restarts, work-queue
// retries, leader election) shares one tested rule.
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** 0..1: the delay is drawn from [delay * (1 - jitter), delay]. */
  jitter: number;
}

export function backoffDelay(policy: BackoffPolicy, failures: number, random: () => number = Math.random): number {
  if (failures <= 0) return 0;
  const exponent = Math.min(failures - 1, 30);
  const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(delay * (1 - policy.jitter * random()));
}
