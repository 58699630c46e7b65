// Always-valid inference with the normal-mixture sequential probability ratio test (mSPRT; Robbins 1970,
// Johari, Pekelis and Walsh, "Always valid inference"): for an approximately normal estimate with known
// variance V, the likelihood ratio of "theta ~ N(theta0, tau^2)" against "theta = theta0",
//   Lambda(theta0) = sqrt(V / (V + tau^2)) * exp(tau^2 (estimate - theta0)^2 / (2 V (V + tau^2))),
// is a martingale under theta0, so it exceeds 1/alpha at ANY look with probability <= alpha. A judge may
// therefore look after every interval and stop as soon as the evidence is strong, without the inflated
// error of a fixed-horizon test repeated at every look.
//
// Each function answers for one look. Across looks keep the running minimum of the p-value and the running
// intersection of the intervals (both stay valid and only tighten).
//
// No evidence: when the variance is 0, negative or not finite, or the estimate is not finite, the look
// carries no information: Lambda = 1, p-value 1, interval (-Infinity, Infinity).

function checkTau(tau: number): void {
  if (!Number.isFinite(tau) || tau <= 0)
    throw new RangeError(`tau (the mixing prior's standard deviation) must be a finite number > 0, got ${tau}`);
}

function informative(estimate: number, variance: number): boolean {
  return Number.isFinite(estimate) && Number.isFinite(variance) && variance > 0;
}

/** ln Lambda(theta0), finite where Lambda itself would overflow. */
export function logMixtureLikelihoodRatio(estimate: number, variance: number, tau: number, theta0 = 0): number {
  checkTau(tau);
  if (!informative(estimate, variance)) return 0;
  const tau2 = tau * tau;
  const deviation = estimate - theta0;
  return -0.5 * Math.log1p(tau2 / variance) + (tau2 * deviation * deviation) / (2 * variance * (variance + tau2));
}

/** Lambda(theta0); Infinity when it overflows (overwhelming evidence against theta0). */
export function mixtureLikelihoodRatio(estimate: number, variance: number, tau: number, theta0 = 0): number {
  return Math.exp(logMixtureLikelihoodRatio(estimate, variance, tau, theta0));
}

/** min(1, 1 / Lambda(0)): the always-valid (two-sided) p-value of "the parameter is 0" at this look. */
export function alwaysValidPValue(estimate: number, variance: number, tau: number): number {
  return Math.min(1, Math.exp(-logMixtureLikelihoodRatio(estimate, variance, tau, 0)));
}

/**
 * The set of theta0 with Lambda(theta0) < 1/alpha: estimate -/+ sqrt(V (V + tau^2) / tau^2 * (2 ln(1/alpha) + ln((V + tau^2) / V))).
 * alpha outside (0, 1) is a RangeError.
 */
export function confidenceSequence(estimate: number, variance: number, alpha: number, tau: number): { lower: number; upper: number } {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  checkTau(tau);
  if (!informative(estimate, variance)) return { lower: -Infinity, upper: Infinity };
  const tau2 = tau * tau;
  const radius = Math.sqrt(((variance * (variance + tau2)) / tau2) * (-2 * Math.log(alpha) + Math.log1p(tau2 / variance)));
  return { lower: estimate - radius, upper: estimate + radius };
}
