// Numbers in tags are compared as decimal strings, not as JS numbers: a 20-digit build number or a
// nanosecond timestamp would lose precision as a double and two different tags would compare equal.

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Integers and decimals as they appear in tags: 42, 007, -3, 1.25. Not 1e5, 0x1F, 1_000, .5 or 1. */
export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}

/** Exact numeric order of two strings that pass isDecimal. */
export function compareDecimals(a: string, b: string): number {
  const x = splitDecimal(a);
  const y = splitDecimal(b);
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const magnitude = compareMagnitudes(x, y);
  return x.negative ? -magnitude : magnitude;
}

interface SplitDecimal {
  negative: boolean;
  whole: string;
  fraction: string;
}

function splitDecimal(text: string): SplitDecimal {
  const [whole = '', fraction = ''] = text.replace(/^-/, '').split('.');
  const trimmedWhole = whole.replace(/^0+/, '');
  const trimmedFraction = fraction.replace(/0+$/, '');
  // -0 and -0.000 are zero, which is not negative.
  const negative = text.startsWith('-') && (trimmedWhole !== '' || trimmedFraction !== '');
  return { negative, whole: trimmedWhole, fraction: trimmedFraction };
}

function compareMagnitudes(x: SplitDecimal, y: SplitDecimal): number {
  if (x.whole.length !== y.whole.length) return x.whole.length < y.whole.length ? -1 : 1;
  if (x.whole !== y.whole) return x.whole < y.whole ? -1 : 1;
  // Fraction digits compare left to right, so string order is numeric order once trailing zeros are gone.
  if (x.fraction !== y.fraction) return x.fraction < y.fraction ? -1 : 1;
  return 0;
}
