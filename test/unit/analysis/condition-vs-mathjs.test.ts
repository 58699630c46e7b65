// The condition evaluator against mathjs, which Wren used to evaluate conditions with (and which Argo
// Rollouts users' conditions are written for): random conditions of the allowed grammar must give the
// same value in both. mathjs is a devDependency only for this comparison.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { all, create } from 'mathjs';
import { parseCondition } from '../../../src/analysis/condition-syntax.ts';
import { evaluateCondition } from '../../../src/analysis/expressions.ts';

// predictable: NaN where mathjs would otherwise answer with a complex number (sqrt(-1), log10(-1), (-8)^0.5).
const math = create(all as NonNullable<typeof all>, { predictable: true });

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomCondition(random: () => number, depth: number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  if (depth <= 0 || random() < 0.25) return pick(['result', '0', '1', '2.5', '100', '1e3', '0.1', '3', 'true', 'false', 'NaN', 'Infinity']);
  const sub = () => randomCondition(random, depth - 1);
  switch (Math.floor(random() * 9)) {
    case 0:
      return `${sub()} ${pick(['+', '-', '*', '/', '%', 'mod'])} ${sub()}`;
    case 8:
      // Powers with a real answer: any base to an integer, or a base ≥ 0 to anything. (A negative base
      // to a fraction is NaN here; mathjs answers a complex number or, in its predictable mode, an odd
      // root for some fractions.)
      return random() < 0.5 ? `${sub()} ^ ${pick(['0', '1', '2', '3', '-1', '(-2)'])}` : `abs(${sub()}) ^ ${sub()}`;
    case 1:
      return `${sub()} ${pick(['==', '!=', '<', '<=', '>', '>='])} ${sub()}`;
    case 2:
      return `${sub()} ${pick(['<', '<=', '>', '>='])} ${sub()} ${pick(['<', '<=', '>', '>='])} ${sub()}`;
    case 3:
      return `${sub()} ${pick(['and', 'or', 'xor'])} ${sub()}`;
    case 4:
      return `${pick(['-', '+', 'not '])}${sub()}`;
    case 5:
      return `((${sub()}) ? (${sub()}) : (${sub()}))`;
    case 6: {
      const name = pick(['abs', 'min', 'max', 'round', 'floor', 'ceil', 'exp', 'isNaN', 'log10']);
      const args = name === 'min' || name === 'max' ? [sub(), sub(), sub()] : name === 'round' ? [sub(), pick(['0', '1', '2'])] : [sub()];
      return `${name}(${args.join(', ')})`;
    }
    default:
      return `(${sub()})`;
  }
}

const same = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number'
    ? (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))
    : a === b;

test('random conditions of the allowed grammar judge every result as mathjs does (2,000 conditions × 5 results)', () => {
  const random = seeded(20261201);
  let compared = 0;
  for (let index = 0; index < 2000; index += 1) {
    const condition = `${randomCondition(random, 4)} ${['>', '<', '==', '>='][index % 4]} result`;
    assert.doesNotThrow(
      () => parseCondition(condition, new Set(['abs', 'min', 'max', 'round', 'floor', 'ceil', 'exp', 'isNaN', 'log10'])),
      condition,
    );
    for (const result of [0, 1, -2.5, 99.5, Number.NaN]) {
      // mathjs answers some inputs with complex numbers (or refuses to order them), which a condition cannot use.
      let expected: unknown;
      try {
        expected = math.evaluate(condition, { result });
      } catch {
        continue;
      }
      if (typeof expected !== 'boolean' && typeof expected !== 'number') continue;
      const truthy = typeof expected === 'boolean' ? expected : expected !== 0 && !Number.isNaN(expected);
      assert.ok(
        same(evaluateCondition(condition, result), truthy),
        `${condition} with result = ${result}: mathjs says ${String(expected)}`,
      );
      compared += 1;
    }
  }
  assert.ok(compared > 9000, `compared ${compared}`);
});
