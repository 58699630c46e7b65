// The standard normal distribution: cdf, upper tail (survival) and quantile, accurate far into both tails
// because the tails come from a complementary error function with good relative accuracy, never from 1 - cdf.
// Pure functions; a NaN argument gives NaN (the one input these cannot answer for).

const SQRT2 = Math.SQRT2;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);

// Below this argument erf comes from its power series and erfc = 1 - erf (erfc(2.5) = 4e-4, so at most
// about 12 bits of the 53 are lost there); above it erfc comes from its continued fraction, which keeps full
// relative accuracy however small erfc gets.
const SERIES_LIMIT = 2.5;

/** erf(x) for |x| <= SERIES_LIMIT: 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)), all terms positive. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= Math.abs(sum) * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * erfc(x) for x > 0 from the continued fraction erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
 * evaluated with the modified Lentz method.
 */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * Math.exp(-x * x)) / f;
}

/** The complementary error function, with good relative accuracy for large positive x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  if (Math.abs(x) <= SERIES_LIMIT) return 1 - erfSeries(x);
  return x > 0 ? erfcContinuedFraction(x) : 2 - erfcContinuedFraction(-x);
}

/** P(Z <= x) for a standard normal Z. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2);
}

/** P(Z > x) = 1 - normalCdf(x), without the cancellation, so normalSurvival(30) is 4.9e-198 and not 0. */
export function normalSurvival(x: number): number {
  return 0.5 * erfc(x / SQRT2);
}

/** The standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

// Acklam's rational approximation of the quantile (relative error 1.15e-9), refined below.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function horner(coefficients: readonly number[], x: number): number {
  let result = 0;
  for (const c of coefficients) result = result * x + c;
  return result;
}

/** A first guess of the quantile of p in (0, 0.5]. */
function lowerQuantileGuess(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return horner(C, q) / (horner(D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (horner(A, r) * q) / (horner(B, r) * r + 1);
}

/**
 * The inverse of normalCdf: the x with P(Z <= x) = p. 0 gives -Infinity, 1 gives Infinity; p outside [0, 1]
 * is a RangeError. Relative error about 1e-15 (1e-17 absolute within 1e-6 of p = 0.5): the guess is polished by Halley steps on the lower half,
 * where p itself carries full relative precision, and the upper half is mirrored, 1 - p being exact there.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) throw new RangeError(`normalQuantile: p must be a probability in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = lowerQuantileGuess(p);
  for (let i = 0; i < 3; i++) {
    const density = normalPdf(x);
    if (density === 0) break;
    const u = (normalCdf(x) - p) / density;
    const step = u / (1 + (x * u) / 2);
    x -= step;
    if (Math.abs(step) <= Math.abs(x) * 1e-16) break;
  }
  return x;
}
