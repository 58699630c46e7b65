// Self-heal with backoff: when something keeps changing an object back (another controller, a
// mutating webhook), correcting it on every event would be a write loop. The first correction is
// immediate; each further one within the window waits twice as long as the one before.
const BASE_MS = 10_000;
const MAX_MS = 10 * 60_000;
const FORGET_AFTER_MS = 15 * 60_000;

export class HealBackoff {
  private readonly heals = new Map<string, { count: number; last: number }>();

  /** Milliseconds until `key` may be corrected again (0: now). */
  waitFor(key: string, now: number): number {
    const entry = this.heals.get(key);
    if (!entry || now - entry.last > FORGET_AFTER_MS) return 0;
    const delay = Math.min(MAX_MS, BASE_MS * 2 ** (entry.count - 1));
    return Math.max(0, entry.last + delay - now);
  }

  record(key: string, now: number): void {
    for (const [other, { last }] of this.heals) if (now - last > FORGET_AFTER_MS) this.heals.delete(other);
    const entry = this.heals.get(key);
    const count = entry && now - entry.last <= FORGET_AFTER_MS ? entry.count + 1 : 1;
    this.heals.set(key, { count, last: now });
  }
}
