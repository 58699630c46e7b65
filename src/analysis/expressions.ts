// successCondition / failureCondition, as Argo Rollouts writes them: `result >= 99 and result < 101`.
// Parsed by condition-syntax.ts, then checked before anything is evaluated: the only name is `result`
// (and NaN, Infinity), the only functions a few pure ones. Evaluated as mathjs evaluates the same
// text with numbers: booleans count as 1 and 0 in arithmetic, comparisons allow for rounding (relative
// 1e-12), `%` is the floored modulo, and chained comparisons hold pairwise.
import { parseCondition, type CompareOperator, type ConditionNode } from './condition-syntax.ts';
import { ExpressionError } from './expression-error.ts';

export { ExpressionError } from './expression-error.ts';

type Value = number | boolean;

const ALLOWED_SYMBOLS = new Set(['result', 'NaN', 'Infinity']);

const FUNCTIONS: Record<string, { arity: [number, number]; apply: (...args: number[]) => number | boolean }> = {
  abs: { arity: [1, 1], apply: Math.abs },
  min: { arity: [1, Infinity], apply: Math.min },
  max: { arity: [1, Infinity], apply: Math.max },
  round: { arity: [1, 2], apply: (x, digits = 0) => roundTo(x, digits) },
  floor: { arity: [1, 1], apply: (x) => floor(x) },
  ceil: { arity: [1, 1], apply: (x) => ceil(x) },
  sqrt: { arity: [1, 1], apply: Math.sqrt },
  log: { arity: [1, 2], apply: (x, base) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base)) },
  log10: { arity: [1, 1], apply: Math.log10 },
  exp: { arity: [1, 1], apply: Math.exp },
  isNaN: { arity: [1, 1], apply: Number.isNaN },
};
const FUNCTION_NAMES: ReadonlySet<string> = new Set(Object.keys(FUNCTIONS));

/**
 * Rounds as mathjs does: on the number's shortest decimal form (round(2.55, 1) is 2.6, though 2.55 is
 * stored a little below it), halves away from zero.
 */
function roundTo(x: number, digits: number): number {
  const magnitude = Math.abs(x);
  if (!Number.isFinite(x) || String(magnitude).includes('e')) return (Math.sign(x) * Math.round(magnitude * 10 ** digits)) / 10 ** digits;
  return Math.sign(x) * Number(`${Math.round(Number(`${magnitude}e${digits}`))}e-${digits}`);
}

// mathjs's floor and ceil first snap a value that is nearly an integer to it (so floor(-1e-44) is 0).
const floor = (x: number) => (nearlyEqual(x, roundTo(x, 0)) ? roundTo(x, 0) : Math.floor(x));
const ceil = (x: number) => (nearlyEqual(x, roundTo(x, 0)) ? roundTo(x, 0) : Math.ceil(x));

/** mathjs's nearlyEqual for numbers: equal within a relative 1e-12 (absolute 1e-15 near zero). */
function nearlyEqual(a: number, b: number): boolean {
  if (a === b) return true;
  if (Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= Math.max(1e-12 * Math.max(Math.abs(a), Math.abs(b)), 1e-15);
}

const number = (value: Value) => Number(value);
const truthy = (value: Value) => (typeof value === 'boolean' ? value : value !== 0 && !Number.isNaN(value));

function compare(operator: CompareOperator, a: number, b: number): boolean {
  const equal = nearlyEqual(a, b);
  switch (operator) {
    case '==':
      return equal;
    case '!=':
      return !equal;
    case '<':
      return a < b && !equal;
    case '<=':
      return a <= b || equal;
    case '>':
      return a > b && !equal;
    case '>=':
      return a >= b || equal;
  }
}

function evaluate(node: ConditionNode, result: number): Value {
  switch (node.type) {
    case 'number':
    case 'boolean':
      return node.value;
    case 'symbol':
      return node.name === 'result' ? result : node.name === 'NaN' ? Number.NaN : Number.POSITIVE_INFINITY;
    case 'unary': {
      const operand = evaluate(node.operand, result);
      return node.operator === 'not' ? !truthy(operand) : node.operator === '-' ? -number(operand) : number(operand);
    }
    case 'binary': {
      const left = evaluate(node.left, result);
      const right = evaluate(node.right, result);
      switch (node.operator) {
        case 'and':
          return truthy(left) && truthy(right);
        case 'or':
          return truthy(left) || truthy(right);
        case 'xor':
          return truthy(left) !== truthy(right);
        case '+':
          return number(left) + number(right);
        case '-':
          return number(left) - number(right);
        case '*':
          return number(left) * number(right);
        case '/':
          return number(left) / number(right);
        case '^': {
          // A negative base with a fractional (or infinite) exponent has no real power: NaN, as mathjs's
          // predictable mode answers instead of a complex number.
          const [base, exponent] = [number(left), number(right)];
          return base < 0 && !Number.isInteger(exponent) ? Number.NaN : base ** exponent;
        }
        case 'mod': {
          const [x, y] = [number(left), number(right)];
          return y === 0 ? x : x - y * floor(x / y);
        }
      }
    }
    case 'compare': {
      const values = node.operands.map((operand) => number(evaluate(operand, result)));
      return node.operators.every((operator, index) => compare(operator, values[index] as number, values[index + 1] as number));
    }
    case 'conditional':
      return truthy(evaluate(node.test, result)) ? evaluate(node.then, result) : evaluate(node.otherwise, result);
    case 'call': {
      const fn = FUNCTIONS[node.name] as (typeof FUNCTIONS)[string];
      return fn.apply(...node.args.map((arg) => number(evaluate(arg, result))));
    }
  }
}

/** Checks names and arities; returns whether the condition reads `result`. */
function check(node: ConditionNode): boolean {
  switch (node.type) {
    case 'number':
    case 'boolean':
      return false;
    case 'symbol':
      if (!ALLOWED_SYMBOLS.has(node.name)) throw new ExpressionError(`unknown name "${node.name}"; a condition can only use "result"`);
      return node.name === 'result';
    case 'unary':
      return check(node.operand);
    case 'binary':
      return [check(node.left), check(node.right)].some(Boolean);
    case 'compare':
      return node.operands.map(check).some(Boolean);
    case 'conditional':
      return [check(node.test), check(node.then), check(node.otherwise)].some(Boolean);
    case 'call': {
      const [least, most] = (FUNCTIONS[node.name] as (typeof FUNCTIONS)[string]).arity;
      if (node.args.length < least || node.args.length > most) {
        const wanted = least === most ? `${least}` : most === Infinity ? `at least ${least}` : `${least} or ${most}`;
        throw new ExpressionError(`function "${node.name}" takes ${wanted} argument${wanted === '1' ? '' : 's'}, not ${node.args.length}`);
      }
      return node.args.map(check).some(Boolean);
    }
  }
}

/** Conditions are one line; a bound keeps parsing cheap. */
export const MAX_CONDITION_LENGTH = 1000;

/** Parses and checks a condition; throws ExpressionError saying what is wrong. */
export function compileCondition(text: string): ConditionNode {
  if (text.length > MAX_CONDITION_LENGTH) {
    throw new ExpressionError(`is ${text.length} characters long; a condition may have at most ${MAX_CONDITION_LENGTH}`);
  }
  const root = parseCondition(text, FUNCTION_NAMES);
  if (!check(root)) throw new ExpressionError('never reads "result", so it would judge every value alike');
  return root;
}

/** Evaluates a checked condition with `result` bound to the measured value. */
export function evaluateCondition(text: string, result: number): boolean {
  return truthy(evaluate(compileCondition(text), result));
}
