// Every way of writing a Canary's schedule (stepWeight/maxWeight, stepWeights, iterations, explicit
// steps) becomes one list of steps, so the engine has a single rule for moving through a run.
import type { CanarySpecType } from '../api/canary.ts';
import { parseDuration } from '../api/duration.ts';

export type Step =
  | { kind: 'weight'; weight: number }
  /** Holds `weight`; durationMs undefined means until `wren promote`. */
  | { kind: 'pause'; weight: number; durationMs: number | undefined };

type Analysis = CanarySpecType['analysis'];

export function scheduleOf(analysis: Analysis): Step[] {
  if (analysis.steps) {
    let weight = 0;
    return analysis.steps.map((step): Step => {
      if (step.setWeight !== undefined) {
        weight = step.setWeight;
        return { kind: 'weight', weight };
      }
      const duration = step.pause?.duration;
      return { kind: 'pause', weight, durationMs: duration === undefined ? undefined : parseDuration(duration) };
    });
  }
  if (analysis.stepWeights) return analysis.stepWeights.map((weight) => ({ kind: 'weight', weight }));
  if (analysis.stepWeight) {
    const max = analysis.maxWeight ?? 100;
    const steps: Step[] = [];
    for (let weight = analysis.stepWeight; ; weight += analysis.stepWeight) {
      steps.push({ kind: 'weight', weight: Math.min(weight, max) });
      if (weight >= max) break;
    }
    return steps;
  }
  // Blue/green: a number of analysis rounds while the canary gets no weighted traffic. A/B: the
  // same rounds, with every request that matches spec.analysis.match going to the canary (the
  // router applies the weight to the matching route only; the rest stays on the primary).
  const weight = analysis.match?.length ? 100 : 0;
  return Array.from({ length: analysis.iterations ?? 1 }, () => ({ kind: 'weight', weight }));
}

export function intervalMs(analysis: Analysis): number {
  return parseDuration(analysis.interval) ?? 60_000;
}

/** The weight of the last step: where traffic stands when the run is ready for promotion. */
export function finalWeight(steps: readonly Step[]): number {
  return steps.at(-1)?.weight ?? 0;
}
