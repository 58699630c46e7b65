/** Sums the samples of one Prometheus metric whose labels include all of `labels`. */
export function metricValue(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/);
    if (!match || match[1] !== name) continue;
    const sampleLabels = Object.fromEntries(
      [...(match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]),
    );
    if (Object.entries(labels).every(([key, value]) => sampleLabels[key] === value)) total += Number(match[4]);
  }
  return total;
}

/**
 * Upper bound of the bucket holding quantile q (0..1) of a Prometheus histogram; Infinity if beyond
 * the last. With `since`, only the observations made after that earlier scrape count.
 */
export function histogramQuantile(
  exposition: string,
  name: string,
  q: number,
  labels: Record<string, string> = {},
  since?: string,
): number {
  const buckets = histogramBuckets(exposition, name, labels);
  if (since !== undefined) {
    for (const [bound, count] of histogramBuckets(since, name, labels)) buckets.set(bound, (buckets.get(bound) ?? 0) - count);
  }
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total === 0) return Number.NaN;
  return sorted.find(([, cumulative]) => cumulative >= q * total)?.[0] ?? Infinity;
}

function histogramBuckets(exposition: string, name: string, labels: Record<string, string>): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`)) continue;
    const le = line.match(/le="([^"]+)"/)?.[1];
    if (!le || !Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(line.split(' ').at(-1)));
  }
  return buckets;
}
