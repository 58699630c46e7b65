// Prometheus classic histograms (cumulative `le` buckets): per-bin counts for rank tests, aligning two
// histograms on their common bounds, and histogram_quantile with Prometheus' own interpolation rule.

export interface Bucket {
  /** The inclusive upper bound; Infinity for the +Inf bucket. */
  le: number;
  /** The cumulative count of observations <= le. */
  count: number;
}

/** Sorted by le; buckets with the same le (e.g. from two series) are merged by summing their counts, as Prometheus does. */
function sortedCoalesced(buckets: readonly Bucket[]): Bucket[] {
  const sorted = [...buckets].sort((a, b) => a.le - b.le || 0);
  const merged: Bucket[] = [];
  for (const { le, count } of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.le === le) last.count += count;
    else merged.push({ le, count });
  }
  return merged;
}

function checkBuckets(buckets: readonly Bucket[]): void {
  buckets.forEach(({ le, count }, i) => {
    if (Number.isNaN(le)) throw new RangeError(`buckets[${i}].le is NaN`);
    if (Number.isNaN(count)) throw new RangeError(`buckets[${i}].count is NaN`);
  });
}

/**
 * Cumulative buckets to counts per bin: upperBounds[i] is the le of bin i, counts[i] the observations in
 * (upperBounds[i-1], upperBounds[i]]. A negative difference (a counter reset between the series of two
 * buckets, or extrapolation noise from rate()) is clamped to 0.
 */
export function binCounts(buckets: readonly Bucket[]): { upperBounds: number[]; counts: number[] } {
  checkBuckets(buckets);
  const sorted = sortedCoalesced(buckets);
  const upperBounds: number[] = [];
  const counts: number[] = [];
  let previous = 0;
  for (const { le, count } of sorted) {
    upperBounds.push(le);
    counts.push(Math.max(0, count - previous));
    previous = count;
  }
  return { upperBounds, counts };
}

/**
 * Both histograms restricted to the le values present on both sides, each sorted by le. Dropping a
 * cumulative bucket keeps the others right, so the result compares bin by bin.
 */
export function alignBuckets(a: readonly Bucket[], b: readonly Bucket[]): [Bucket[], Bucket[]] {
  checkBuckets(a);
  checkBuckets(b);
  const sortedA = sortedCoalesced(a);
  const sortedB = sortedCoalesced(b);
  const inA = new Set(sortedA.map(({ le }) => le));
  const inB = new Set(sortedB.map(({ le }) => le));
  return [sortedA.filter(({ le }) => inB.has(le)), sortedB.filter(({ le }) => inA.has(le))];
}

/**
 * The q-quantile of the observations, by Prometheus' histogram_quantile rule: buckets sorted by le, counts
 * made monotonic (a count below its predecessor is raised to it), rank = q * total, the first bucket whose
 * cumulative count reaches the rank holds the quantile, interpolated linearly inside it. The first bucket
 * starts at 0 when its le is > 0 (otherwise a quantile in it is its le); a quantile in the +Inf bucket is the
 * le of the highest finite bucket. q < 0 gives -Infinity and q > 1 Infinity, as in Prometheus.
 *
 * undefined where Prometheus answers NaN: a NaN q, no +Inf bucket, fewer than two buckets, or a total
 * count of 0. One choice of ours: q = 0 when the first bucket is empty gives that bucket's lower bound
 * (Prometheus divides 0 by 0 there).
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | undefined {
  if (Number.isNaN(q)) return undefined;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  checkBuckets(buckets);
  const sorted = sortedCoalesced(buckets);
  if (sorted.length < 2 || sorted[sorted.length - 1]!.le !== Infinity) return undefined;
  for (let i = 1; i < sorted.length; i++) sorted[i]!.count = Math.max(sorted[i]!.count, sorted[i - 1]!.count);
  const total = sorted[sorted.length - 1]!.count;
  if (!(total > 0)) return undefined;
  let rank = q * total;
  const b = sorted.findIndex(({ count }) => count >= rank);
  if (b === sorted.length - 1) return sorted[sorted.length - 2]!.le;
  if (b === 0 && sorted[0]!.le <= 0) return sorted[0]!.le;
  let start = 0;
  let count = sorted[b]!.count;
  if (b > 0) {
    start = sorted[b - 1]!.le;
    count -= sorted[b - 1]!.count;
    rank -= sorted[b - 1]!.count;
  }
  if (count === 0) return start;
  return start + (sorted[b]!.le - start) * (rank / count);
}
