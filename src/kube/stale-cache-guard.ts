// After a controller writes an object, its watch cache shows the old version until the watch event
// arrives. Reconciling from that stale copy would repeat work that is not idempotent (calling a
// load-test webhook twice, say). The guard remembers the version each write replaced; while the
// cache still shows it, the reconcile waits for the event instead.
// Only equality of resourceVersions is used, never their order, as the API conventions require.
import type { KubeObject } from './objects.ts';

export class StaleCacheGuard {
  private readonly replaced = new Map<string, string>();

  /** Call after a successful write: `before` is the cached object the write was based on. */
  wrote(key: string, before: KubeObject): void {
    const version = before.metadata?.resourceVersion;
    if (version) this.replaced.set(key, version);
  }

  /** True while the cache still holds the version a write replaced. */
  isStale(key: string, cached: KubeObject): boolean {
    const replaced = this.replaced.get(key);
    if (replaced === undefined) return false;
    if (cached.metadata?.resourceVersion === replaced) return true;
    this.replaced.delete(key);
    return false;
  }

  forget(key: string): void {
    this.replaced.delete(key);
  }
}
