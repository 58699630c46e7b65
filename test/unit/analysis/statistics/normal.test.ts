import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalCdf, normalQuantile, normalSurvival } from '../../../../src/analysis/statistics/normal.ts';
import { assertClose, reference } from './reference.ts';

test('normalCdf and normalSurvival match scipy to 1e-9 relative from x = -37.5 to 37.5, far tails included', () => {
  for (const { x, cdf, sf } of reference.normal as { x: number; cdf: number; sf: number }[]) {
    assertClose(normalCdf(x), cdf, 1e-9, `normalCdf(${x})`);
    assertClose(normalSurvival(x), sf, 1e-9, `normalSurvival(${x})`);
  }
});

test('normalSurvival keeps the upper tail that 1 - normalCdf loses', () => {
  assert.equal(1 - normalCdf(10), 0);
  assert.ok(normalSurvival(10) > 7e-24 && normalSurvival(10) < 8e-24);
  assert.ok(normalSurvival(30) > 0);
});

test('normalQuantile matches scipy norm.ppf to 1e-9 relative, from p = 1e-300 to 1 - 1e-12', () => {
  for (const { p, x } of reference.quantile as { p: number; x: number }[]) {
    assertClose(normalQuantile(p), x, 1e-9, `normalQuantile(${p})`, 1e-15);
  }
});

test('normalQuantile inverts normalCdf (where the cdf itself is not rounded to 1)', () => {
  for (const x of [-35, -9, -2, -0.3, 0.7, 3]) assertClose(normalQuantile(normalCdf(x)), x, 1e-12, `x = ${x}`);
});

test('normalQuantile gives -Infinity and Infinity at 0 and 1 and refuses p outside [0, 1] naming p', () => {
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.throws(() => normalQuantile(1.5), /p must be a probability in \[0, 1\], got 1.5/);
  assert.throws(() => normalQuantile(-0.1), RangeError);
  assert.throws(() => normalQuantile(NaN), RangeError);
});

test('normalCdf at the infinities and NaN', () => {
  assert.equal(normalCdf(-Infinity), 0);
  assert.equal(normalCdf(Infinity), 1);
  assert.equal(normalSurvival(Infinity), 0);
  assert.ok(Number.isNaN(normalCdf(NaN)));
});
