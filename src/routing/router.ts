// The one interface every traffic provider implements. Adding a provider is one file that
// implements it and one line in registry.ts.
import type { Canary } from '../api/canary.ts';
import type { Routes } from './routes.ts';

export type { Routes };

export interface TrafficRouter {
  /** Whether the provider splits traffic by percentage (else it switches all at once). */
  readonly weighted: boolean;
  /** Creates or updates the provider's routing objects, keeping the current weights. */
  reconcile(canary: Canary): Promise<void>;
  setRoutes(canary: Canary, routes: Routes): Promise<void>;
  /** Where traffic goes now, from the watch cache; undefined while the routing objects do not exist. */
  getRoutes(canary: Canary): Routes | undefined;
  /** Hands routing back to the user's own objects when the Canary is deleted (revertOnDeletion). */
  finalize(canary: Canary): Promise<void>;
}
