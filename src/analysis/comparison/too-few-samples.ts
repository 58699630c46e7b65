// The minimum-traffic gate of a comparison: why there is no verdict yet, or undefined when both sides
// have enough requests to judge.
import { formatCount } from './evidence-text.ts';

export function tooFewSamples(canary: number, primary: number, minSamples: number, unit: string): string | undefined {
  if (canary >= minSamples && primary >= minSamples) return undefined;
  return `too few ${unit} to compare: canary ${formatCount(canary)}, primary ${formatCount(primary)} (each side needs ${formatCount(minSamples)})`;
}
