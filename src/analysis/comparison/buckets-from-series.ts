// Histogram buckets from the series a buckets query returned: one per le label, "+Inf" the last,
// each count a whole number of requests.
import type { Series } from '../providers/metric-provider.ts';
import type { Bucket } from '../statistics/histogram.ts';

export function bucketsFromSeries(series: readonly Series[]): Bucket[] {
  return series.map((one) => {
    const le = one.labels.le;
    if (le === undefined) throw new Error('a series of the buckets query has no le label; aggregate it with sum by (le) (...)');
    const bound = le === '+Inf' ? Infinity : Number(le);
    if (Number.isNaN(bound)) throw new Error(`le label ${JSON.stringify(le)} is not a number`);
    // increase() extrapolates, so counts come back fractional; requests are whole.
    return { le: bound, count: Number.isFinite(one.value) ? Math.max(0, Math.round(one.value)) : 0 };
  });
}
