// Numbers of a comparison as a person reads them in `wren status`, Events and status.checks messages:
// "canary errors 4.1 % vs primary 0.3 %, 1,204 vs 3,311 requests, p < 0.001".
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

/** One decimal below 10, none above; exact zero stays 0. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Math.abs(value) < 10 ? value.toFixed(1) : value.toFixed(0);
  return rounded.replace(/\.0$/, '');
}

export function formatPValue(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  if (p >= 0.995) return 'p = 1';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

export function formatConfidence(confidence: number): string {
  return `${Number((confidence * 100).toFixed(2))} %`;
}
