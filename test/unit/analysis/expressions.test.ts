import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCondition, evaluateCondition, ExpressionError } from '../../../src/analysis/expressions.ts';

test('conditions as Argo Rollouts writes them evaluate against result', () => {
  const cases: [string, number, boolean][] = [
    ['result >= 99 and result < 101', 99.5, true],
    ['result >= 99 and result < 101', 98, false],
    ['result < 500 or result == 0', 0, true],
    ['not (result > 1)', 0.5, true],
    ['abs(result - 100) <= 1', 99.2, true],
    ['max(result, 10) == 10', 3, true],
    ['result > 5 ? true : false', 7, true],
    ['1 < result < 3', 2, true],
    ['result % 2 == 0', 4, true],
    ['isNaN(result)', Number.NaN, true],
  ];
  for (const [condition, result, expected] of cases)
    assert.equal(evaluateCondition(condition, result), expected, `${condition} with ${result}`);
});

test('hostile or unsupported expressions are refused before anything runs', () => {
  const hostile = [
    'import({}, {override: true})',
    'f(x) = x',
    'result = 1',
    '[1, 2, 3]',
    '{a: 1}',
    'result.constructor',
    'result["constructor"]',
    'evaluate("1+1")',
    'parse("x")',
    'createUnit("foo")',
    'simplify("x")',
    'result; 1',
    '1:10',
    'cos(result) > 0',
    'unknownSymbol > 1',
    '"text" == "text"',
    'matrix([1])',
    'f = 1',
    'result > 1 +',
  ];
  for (const expression of hostile) {
    assert.throws(() => compileCondition(expression), ExpressionError, expression);
  }
});

test('the refusal says what is not allowed', () => {
  assert.throws(() => compileCondition('f(x) = x'), /function definition/);
  assert.throws(() => compileCondition('import({})'), /function "import" is not allowed/);
  assert.throws(() => compileCondition('x > 1'), /only use "result"/);
  assert.throws(() => compileCondition('result >'), /does not parse/);
});

test('a condition that never reads result is refused: it would judge every value alike', () => {
  for (const constant of ['1e9999', '1 > 0', 'true', 'isNaN(NaN)', 'Infinity']) {
    assert.throws(() => compileCondition(constant), /never reads "result"/, constant);
  }
});

test('an overlong or deeply nested condition is refused with an ExpressionError, never a stack overflow', () => {
  // A chain parses in a loop but was walked recursively: 100 000 terms overflowed the stack uncaught.
  const chain = Array.from({ length: 100_000 }, () => 'result').join(' + ');
  assert.throws(
    () => compileCondition(chain),
    (error: Error) => error instanceof ExpressionError && /at most 1000/.test(error.message),
  );
  assert.throws(() => compileCondition(`${'('.repeat(490)}result${')'.repeat(490)}`), ExpressionError);
  assert.equal(evaluateCondition(`${Array.from({ length: 140 }, () => 'result').join('+')} > 1`, 1), true);
});

test('operators and functions follow mathjs: precedence, floored modulo, rounding, tolerance and real powers', () => {
  const cases: [string, number, boolean][] = [
    ['-result^2 == -4', 2, true],
    ['result^-1 == 0.5', 2, true],
    ['result % 3 == 1', -5, true],
    ['result mod -3 == -1', 5, true],
    ['round(result) == -3', -2.5, true],
    ['round(result, 1) == 2.6', 2.55, true],
    ['round(result, 2) == 1.01', 1.005, true],
    ['result + 0.2 == 0.3', 0.1, true],
    ['result + 0.2 > 0.3', 0.1, false],
    ['floor(result) == 0', -1e-20, true],
    ['isNaN(result ^ 0.5)', -8, true],
    ['true + true == result', 2, true],
    ['not result + 1 == 1', 5, true],
    ['log(result, 2) == 3', 8, true],
    ['min(result, 2, 3) == 1', 1, true],
  ];
  for (const [condition, result, expected] of cases)
    assert.equal(evaluateCondition(condition, result), expected, `${condition} with ${result}`);
});

test('a function called with the wrong number of arguments is refused naming the function', () => {
  assert.throws(() => compileCondition('abs(result, 2) > 1'), /function "abs" takes 1 argument, not 2/);
  assert.throws(() => compileCondition('max() > result'), /function "max" takes at least 1 arguments, not 0/);
  assert.throws(() => compileCondition('round(result, 1, 2) > 1'), /function "round" takes 1 or 2 arguments, not 3/);
});
