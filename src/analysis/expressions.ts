// successCondition / failureCondition, as Argo Rollouts writes them: `result >= 99 and result < 101`.
// Parsed by mathjs and then checked against a whitelist before anything is evaluated: numbers,
// `result`, arithmetic, comparisons, logic, the conditional operator and a few pure functions.
// No assignment, no function definitions, no property access, no matrices or objects, no import.
import { all, create, type MathNode } from 'mathjs';

const math = create(all as NonNullable<typeof all>, {});

const ALLOWED_NODES = new Set([
  'ConstantNode',
  'SymbolNode',
  'OperatorNode',
  'ParenthesisNode',
  'FunctionNode',
  'ConditionalNode',
  'RelationalNode',
]);
const ALLOWED_SYMBOLS = new Set(['result', 'NaN', 'Infinity']);
const ALLOWED_FUNCTIONS = new Set(['abs', 'min', 'max', 'round', 'floor', 'ceil', 'sqrt', 'log', 'log10', 'exp', 'isNaN']);
const ALLOWED_OPERATORS = new Set([
  'add',
  'subtract',
  'multiply',
  'divide',
  'mod',
  'pow',
  'unaryMinus',
  'unaryPlus',
  'equal',
  'unequal',
  'smaller',
  'smallerEq',
  'larger',
  'largerEq',
  'and',
  'or',
  'xor',
  'not',
]);

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

interface NodeLike {
  type: string;
  name?: string;
  fn?: string | NodeLike;
  value?: unknown;
  traverse(callback: (node: MathNode) => void): void;
}

function checkNode(node: NodeLike): void {
  if (!ALLOWED_NODES.has(node.type)) throw new ExpressionError(`${describeNode(node)} is not allowed in a condition`);
  if (node.type === 'SymbolNode' && !ALLOWED_SYMBOLS.has(node.name ?? '')) {
    throw new ExpressionError(`unknown name "${node.name}"; a condition can only use "result"`);
  }
  if (node.type === 'OperatorNode' && !ALLOWED_OPERATORS.has(String(node.fn))) {
    throw new ExpressionError(`operator "${String(node.fn)}" is not allowed in a condition`);
  }
  if (node.type === 'FunctionNode') {
    const fn = node.fn as NodeLike;
    if (fn.type !== 'SymbolNode' || !ALLOWED_FUNCTIONS.has(fn.name ?? '')) {
      throw new ExpressionError(`function "${fn.name ?? fn.type}" is not allowed; allowed: ${[...ALLOWED_FUNCTIONS].join(', ')}`);
    }
  }
  if (node.type === 'ConstantNode' && typeof node.value === 'string') throw new ExpressionError('strings are not allowed in a condition');
}

function describeNode(node: NodeLike): string {
  const names: Record<string, string> = {
    AssignmentNode: 'assignment',
    FunctionAssignmentNode: 'a function definition',
    AccessorNode: 'property access',
    IndexNode: 'indexing',
    ArrayNode: 'a matrix',
    ObjectNode: 'an object',
    BlockNode: 'more than one statement',
    RangeNode: 'a range',
  };
  return names[node.type] ?? node.type;
}

/** Conditions are one line; a bound keeps parsing cheap and the parse tree shallow enough to walk. */
export const MAX_CONDITION_LENGTH = 1000;

/** Parses and checks a condition; throws ExpressionError saying what is wrong. */
export function compileCondition(text: string): MathNode {
  if (text.length > MAX_CONDITION_LENGTH) {
    throw new ExpressionError(`is ${text.length} characters long; a condition may have at most ${MAX_CONDITION_LENGTH}`);
  }
  let root: MathNode;
  try {
    root = math.parse(text);
  } catch (error) {
    throw new ExpressionError(error instanceof RangeError ? 'is nested too deeply' : `does not parse: ${(error as Error).message}`);
  }
  let readsResult = false;
  try {
    root.traverse((node, path, parent) => {
      // A function's name is a SymbolNode too; FunctionNode checks it against the function whitelist.
      if (path === 'fn' && parent?.type === 'FunctionNode') return;
      checkNode(node as unknown as NodeLike);
      if (node.type === 'SymbolNode' && (node as unknown as NodeLike).name === 'result') readsResult = true;
    });
  } catch (error) {
    // A long chain (result + result + ...) parses in a loop but is walked recursively.
    if (error instanceof RangeError) throw new ExpressionError('is nested too deeply');
    throw error;
  }
  if (!readsResult) throw new ExpressionError('never reads "result", so it would judge every value alike');
  return root;
}

/** Evaluates a checked condition with `result` bound to the measured value. */
export function evaluateCondition(text: string, result: number): boolean {
  const value: unknown = compileCondition(text).compile().evaluate({ result });
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  throw new ExpressionError(`does not evaluate to true or false (got ${typeof value})`);
}
