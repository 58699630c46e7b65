// Compares the failure rate of a canary with its primary's: the difference, its variance for confidence
// bounds (Agresti-Caffo, never 0), and the pooled two-proportion z-test of "the canary fails more often".

import { normalSurvival } from './normal.ts';

export interface Proportion {
  trials: number;
  failures: number;
}

export interface ProportionComparison {
  /** failures / trials, 0 when there were no trials. */
  canaryRate: number;
  primaryRate: number;
  /** canaryRate - primaryRate. */
  difference: number;
  /**
   * The variance of the difference for confidence bounds: unpooled, from the Agresti-Caffo adjusted rates
   * r = (failures + 1) / (trials + 2), each side r (1 - r) / (trials + 2). Never 0: a side with no trials
   * contributes 1/8, and no failures on either side still leaves a finite spread.
   */
  variance: number;
  /** The pooled two-proportion z statistic; 0 when the pooled variance is 0 (no trials on a side, or all or no failures on both). */
  z: number;
  /** One-sided p-value for H1: the canary's rate is greater than the primary's; 1 when z is undefined. */
  pValue: number;
}

function checkProportion(side: string, { trials, failures }: Proportion): void {
  if (!Number.isFinite(trials) || trials < 0) throw new RangeError(`${side}.trials must be a finite number >= 0, got ${trials}`);
  if (!Number.isFinite(failures) || failures < 0) throw new RangeError(`${side}.failures must be a finite number >= 0, got ${failures}`);
  if (failures > trials) throw new RangeError(`${side}.failures (${failures}) must not exceed ${side}.trials (${trials})`);
}

const rate = ({ trials, failures }: Proportion): number => (trials > 0 ? failures / trials : 0);

function adjustedVariance({ trials, failures }: Proportion): number {
  const adjusted = (failures + 1) / (trials + 2);
  return (adjusted * (1 - adjusted)) / (trials + 2);
}

/** Counts may be fractional (Prometheus increase() extrapolates); negative, non-finite or failures > trials is a RangeError naming the field. */
export function compareProportions(canary: Proportion, primary: Proportion): ProportionComparison {
  checkProportion('canary', canary);
  checkProportion('primary', primary);
  const canaryRate = rate(canary);
  const primaryRate = rate(primary);
  const difference = canaryRate - primaryRate;
  const variance = adjustedVariance(canary) + adjustedVariance(primary);
  let z = 0;
  let pValue = 1;
  if (canary.trials > 0 && primary.trials > 0) {
    const pooled = (canary.failures + primary.failures) / (canary.trials + primary.trials);
    const pooledVariance = pooled * (1 - pooled) * (1 / canary.trials + 1 / primary.trials);
    if (pooledVariance > 0) {
      z = difference / Math.sqrt(pooledVariance);
      pValue = normalSurvival(z);
    }
  }
  return { canaryRate, primaryRate, difference, variance, z, pValue };
}
