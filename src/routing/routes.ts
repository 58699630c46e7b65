// Where a Canary's traffic goes: the one shape the canary engine decides and every traffic provider
// carries out. Owned by routing so that providers never import the canary engine.
export interface Routes {
  primaryWeight: number;
  canaryWeight: number;
  /** Blue/green with mirroring: the primary's requests are copied to the canary, its answers dropped. */
  mirror?: boolean;
}
