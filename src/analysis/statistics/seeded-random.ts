// Deterministic pseudo-random numbers for simulations and benchmarks: mulberry32 uniforms from a 32-bit seed,
// standard normals (Box-Muller) and exact binomial counts drawn from them. Not for anything secret.

/** A generator of uniforms in [0, 1) from the 32-bit seed (mulberry32); the same seed gives the same sequence. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw by the Box-Muller transform (uses two uniforms, keeps one normal). */
export function standardNormal(uniform: () => number): number {
  const u1 = 1 - uniform(); // (0, 1], so the log is finite
  const u2 = uniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * An exact Binomial(n, p) draw by geometric waiting times between successes: costs about n * min(p, 1 - p)
 * uniforms, fine for canary-sized simulations (1e6 trials at 3% is 3e4 uniforms). n must be a whole number >= 0
 * and p in [0, 1].
 */
export function binomial(uniform: () => number, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number >= 0, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be a probability in [0, 1], got ${p}`);
  if (p > 0.5) return n - binomial(uniform, n, 1 - p);
  if (p === 0 || n === 0) return 0;
  const logFailure = Math.log1p(-p);
  let successes = 0;
  let position = 0; // trials used so far
  for (;;) {
    // Failures before the next success: Geometric(p) on {0, 1, ...}.
    position += Math.floor(Math.log(1 - uniform()) / logFailure) + 1;
    if (position > n) return successes;
    successes += 1;
  }
}
