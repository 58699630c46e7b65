// The Mann-Whitney U test of "the canary's observations are stochastically greater than the primary's"
// (for latencies: the canary is slower), on binned counts (histogram buckets) or on raw observations.
// Tie-corrected normal approximation without continuity correction, the same as scipy's
// mannwhitneyu(method='asymptotic', use_continuity=False).

import { normalSurvival } from './normal.ts';

export interface RankComparison {
  canaryCount: number;
  primaryCount: number;
  /** The canary's U: the pairs (c, p) with c > p, plus half the ties. */
  u: number;
  /** u / (canaryCount * primaryCount) = P(canary > primary) + P(tie) / 2; 0.5 when either side is empty. */
  probabilityGreater: number;
  /** The variance of probabilityGreater under H0 with the tie correction, sigma_U^2 / (n1 n2)^2; 0 when either side is empty or all observations tie. */
  variance: number;
  /** (u - n1 n2 / 2) / sigma_U; 0 when the variance is 0. */
  z: number;
  /** One-sided p-value for H1: the canary is stochastically greater; 1 when the variance is 0. */
  pValue: number;
}

function checkCounts(field: string, counts: readonly number[]): void {
  counts.forEach((count, i) => {
    if (!Number.isFinite(count) || count < 0) throw new RangeError(`${field}[${i}] must be a finite count >= 0, got ${count}`);
  });
}

/**
 * Counts per ordered bin, the same bins on both sides (canary[i] and primary[i] count observations in bin i,
 * bins in increasing order); observations in one bin are ties. Counts may be fractional.
 */
export function mannWhitneyBinned(canary: readonly number[], primary: readonly number[]): RankComparison {
  if (canary.length !== primary.length) {
    throw new RangeError(`canary and primary must have one count per bin each, got ${canary.length} and ${primary.length} bins`);
  }
  checkCounts('canary', canary);
  checkCounts('primary', primary);
  const n1 = canary.reduce((sum, count) => sum + count, 0);
  const n2 = primary.reduce((sum, count) => sum + count, 0);
  const pairs = n1 * n2;
  if (n1 === 0 || n2 === 0) return { canaryCount: n1, primaryCount: n2, u: 0, probabilityGreater: 0.5, variance: 0, z: 0, pValue: 1 };

  let primaryBelow = 0;
  let u = 0;
  // u - n1 n2 / 2 summed directly as sum c_i (below_i - above_i) / 2, so a small effect in huge counts does not cancel away.
  let centered = 0;
  // (sum t)^3 - sum t^3 over the tie groups t_i = c_i + p_i, accumulated from positive terms only: it equals
  // N^3 - N - sum(t^3 - t), the tie-corrected part of sigma_U^2, without the cancellation of that form.
  let total = 0;
  let tieFree = 0;
  for (let i = 0; i < canary.length; i++) {
    const c = canary[i] ?? 0;
    const p = primary[i] ?? 0;
    const primaryAbove = n2 - primaryBelow - p;
    u += c * (primaryBelow + p / 2);
    centered += (c * (primaryBelow - primaryAbove)) / 2;
    const t = c + p;
    tieFree += 3 * t * total * (total + t);
    total += t;
    primaryBelow += p;
  }
  const n = n1 + n2;
  const sigmaSquared = (pairs * tieFree) / (12 * n * (n - 1));
  if (!(sigmaSquared > 0)) return { canaryCount: n1, primaryCount: n2, u, probabilityGreater: u / pairs, variance: 0, z: 0, pValue: 1 };
  const z = centered / Math.sqrt(sigmaSquared);
  return {
    canaryCount: n1,
    primaryCount: n2,
    u,
    probabilityGreater: u / pairs,
    variance: sigmaSquared / (pairs * pairs),
    z,
    pValue: normalSurvival(z),
  };
}

/** Raw observations on each side (ranks with ties averaged); NaN is a RangeError. */
export function mannWhitneySamples(canary: readonly number[], primary: readonly number[]): RankComparison {
  const tagged: [number, 0 | 1][] = [];
  canary.forEach((value, i) => {
    if (Number.isNaN(value)) throw new RangeError(`canary[${i}] is NaN`);
    tagged.push([value, 0]);
  });
  primary.forEach((value, i) => {
    if (Number.isNaN(value)) throw new RangeError(`primary[${i}] is NaN`);
    tagged.push([value, 1]);
  });
  tagged.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  // One bin per distinct value: the binned test on these bins is the test on the samples.
  const canaryBins: number[] = [];
  const primaryBins: number[] = [];
  let previous: number | undefined;
  for (const [value, side] of tagged) {
    if (value !== previous) {
      canaryBins.push(0);
      primaryBins.push(0);
      previous = value;
    }
    const bins = side === 0 ? canaryBins : primaryBins;
    bins[bins.length - 1]! += 1;
  }
  return mannWhitneyBinned(canaryBins, primaryBins);
}
