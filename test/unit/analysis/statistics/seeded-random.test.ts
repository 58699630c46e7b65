import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binomial, mulberry32, standardNormal } from '../../../../src/analysis/statistics/seeded-random.ts';
import { reference } from './reference.ts';

test('mulberry32 gives the same uniforms as an independent python transcription of the algorithm', () => {
  for (const { seed, uniforms } of reference.mulberry32 as { seed: number; uniforms: number[] }[]) {
    const uniform = mulberry32(seed);
    assert.deepEqual(
      uniforms.map(() => uniform()),
      uniforms,
      `seed ${seed}`,
    );
  }
});

test('the same seed gives the same sequence, another seed another one', () => {
  const a = mulberry32(7);
  const b = mulberry32(7);
  const c = mulberry32(8);
  const first = [a(), a(), a()];
  assert.deepEqual([b(), b(), b()], first);
  assert.notDeepEqual([c(), c(), c()], first);
});

test('standard normals have mean about 0 and variance about 1 (seeded, 20000 draws)', () => {
  const uniform = mulberry32(3);
  const draws = Array.from({ length: 20_000 }, () => standardNormal(uniform));
  const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
  const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / (draws.length - 1);
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`); // 4 standard errors
  assert.ok(Math.abs(variance - 1) < 0.04, `variance ${variance}`);
});

test('binomial draws have mean n p and variance n p (1 - p), for small and large p and large n (seeded)', () => {
  for (const [n, p, draws] of [
    [100, 0.03, 20_000],
    [300, 0.8, 5_000],
    [1_000_000, 0.03, 200],
  ] as const) {
    const uniform = mulberry32(11);
    const values = Array.from({ length: draws }, () => binomial(uniform, n, p));
    assert.ok(
      values.every((v) => Number.isInteger(v) && v >= 0 && v <= n),
      'every draw a whole number in [0, n]',
    );
    const mean = values.reduce((s, x) => s + x, 0) / draws;
    const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / (draws - 1);
    const expectedVariance = n * p * (1 - p);
    assert.ok(Math.abs(mean - n * p) < 4 * Math.sqrt(expectedVariance / draws), `n=${n} p=${p}: mean ${mean}`);
    assert.ok(Math.abs(variance / expectedVariance - 1) < 0.25, `n=${n} p=${p}: variance ${variance} vs ${expectedVariance}`);
  }
});

test('binomial edge cases and bad parameters', () => {
  const uniform = mulberry32(1);
  assert.equal(binomial(uniform, 0, 0.5), 0);
  assert.equal(binomial(uniform, 50, 0), 0);
  assert.equal(binomial(uniform, 50, 1), 50);
  assert.throws(() => binomial(uniform, 2.5, 0.1), /n must be a whole number >= 0, got 2.5/);
  assert.throws(() => binomial(uniform, 10, 1.1), /p must be a probability in \[0, 1\], got 1.1/);
});
