// Per metrics server: after it was unreachable, it is not asked again before a growing delay, however
// many Canaries and checks want it. While it backs off, checks get its last failure at once. Shared
// by every Canary of the operator; in memory only (after a restart a server is simply asked again).
import { backoffDelay, type BackoffPolicy } from '../kube/backoff.ts';
import { ProviderUnreachableError } from './providers/unreachable.ts';

export const SERVER_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 60_000, jitter: 0.2 };

interface Failures {
  count: number;
  retryAt: number;
  error: ProviderUnreachableError;
}

export class ServerBackoff {
  private readonly failures = new Map<string, Failures>();
  /** When each server answered again after being unreachable. */
  private readonly recovered = new Map<string, number>();
  private readonly policy: BackoffPolicy;
  private readonly now: () => number;

  constructor(policy: BackoffPolicy = SERVER_BACKOFF, now: () => number = Date.now) {
    this.policy = policy;
    this.now = now;
  }

  /** The server's origin: all paths of one server share its backoff. */
  static serverOf(address: string): string {
    try {
      return new URL(address).origin;
    } catch {
      return address;
    }
  }

  /**
   * Milliseconds since the server answered again after being unreachable, if that is less than
   * `windowMs` ago: queries over a window that reaches back into the outage see its gap.
   */
  recoveredWithin(address: string, windowMs: number): number | undefined {
    const at = this.recovered.get(ServerBackoff.serverOf(address));
    if (at === undefined) return undefined;
    const since = this.now() - at;
    return since < windowMs ? since : undefined;
  }

  /**
   * Runs `request` against `address` unless the server is backing off (then its last failure is
   * thrown without asking). An unreachable answer extends the backoff; any answer ends it.
   */
  async call<T>(address: string, request: () => Promise<T>): Promise<T> {
    const server = ServerBackoff.serverOf(address);
    const failing = this.failures.get(server);
    if (failing && this.now() < failing.retryAt) throw failing.error;
    try {
      const result = await request();
      if (failing) this.recovered.set(server, this.now());
      this.failures.delete(server);
      return result;
    } catch (error) {
      if (!(error instanceof ProviderUnreachableError)) {
        if (failing) this.recovered.set(server, this.now());
        this.failures.delete(server);
        throw error;
      }
      const count = (failing?.count ?? 0) + 1;
      this.failures.set(server, { count, retryAt: this.now() + backoffDelay(this.policy, count), error });
      throw error;
    }
  }
}
