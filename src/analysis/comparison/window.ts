// The window a comparison reads: everything since the run started, so each look adds to the data
// of the last one (what makes its always-valid bounds valid), and never less than the metric's interval.
import { parseDuration } from '../../api/duration.ts';

const MIN_WINDOW_MS = 10_000;

export function comparisonWindow(runStartedAt: string | undefined, now: Date, interval: string): string {
  const intervalMs = parseDuration(interval) ?? 60_000;
  const started = runStartedAt ? Date.parse(runStartedAt) : Number.NaN;
  const elapsed = Number.isFinite(started) ? now.getTime() - started : 0;
  return `${Math.ceil(Math.max(elapsed, intervalMs, MIN_WINDOW_MS) / 1000)}s`;
}
