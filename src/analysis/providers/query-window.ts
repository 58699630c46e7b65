// The time window a hosted provider asks about: the metric's interval, ending now.
import { parseDuration } from '../../api/duration.ts';

/** Whole seconds of the metric's interval ({{ interval }}); throws naming it when it is not a duration. */
export function windowSeconds(interval: string): number {
  const ms = parseDuration(interval);
  if (ms === undefined || ms < 1000) throw new Error(`interval ${JSON.stringify(interval)} is not a duration of at least 1s`);
  return Math.floor(ms / 1000);
}

/** Unix seconds of a moment. */
export function unixSeconds(now: Date): number {
  return Math.floor(now.getTime() / 1000);
}

export function withoutTrailingSlash(address: string): string {
  return address.replace(/\/+$/, '');
}
