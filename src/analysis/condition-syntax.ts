// The grammar of successCondition / failureCondition, as Argo Rollouts users write them and as the
// mathjs expression syntax reads them: numbers, `result`, + - * / % mod ^, comparisons (chained:
// `1 < result < 3`), and / or / xor / not, `a ? b : c`, parentheses and calls of named functions.
// A recursive-descent parser into a small tree; anything else (assignment, property access, matrices,
// objects, strings, ranges, several statements) is refused here with the name of what it is.
import { ExpressionError } from './expression-error.ts';

export type ConditionNode =
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'symbol'; name: string }
  | { type: 'unary'; operator: '-' | '+' | 'not'; operand: ConditionNode }
  | { type: 'binary'; operator: BinaryOperator; left: ConditionNode; right: ConditionNode }
  | { type: 'compare'; operators: CompareOperator[]; operands: ConditionNode[] }
  | { type: 'conditional'; test: ConditionNode; then: ConditionNode; otherwise: ConditionNode }
  | { type: 'call'; name: string; args: ConditionNode[] };

export type BinaryOperator = '+' | '-' | '*' | '/' | 'mod' | '^' | 'and' | 'or' | 'xor';
export type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** Parentheses, calls and unary operators nest at most this deep. */
export const MAX_NESTING = 64;

type Token =
  { kind: 'number'; value: number; at: number } | { kind: 'name'; text: string; at: number } | { kind: 'punct'; text: string; at: number };

const PUNCTUATION = [
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '(',
  ')',
  ',',
  '?',
  ':',
  '=',
  '[',
  ']',
  '{',
  '}',
  ';',
  '.',
  '!',
  '&',
  '|',
  '"',
  "'",
];
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const WORD_OPERATORS = new Set(['and', 'or', 'xor', 'not', 'mod']);

/** What a construct the grammar refuses is, for the message. */
const REFUSED: Record<string, string> = {
  '=': 'assignment',
  '[': 'a matrix or indexing',
  '{': 'an object',
  '.': 'property access',
  ';': 'more than one statement',
  ':': 'a range',
  '"': 'a string',
  "'": 'a string',
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const rest = text.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), at });
      at += number[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], at });
      at += name[0].length;
      continue;
    }
    const punct = PUNCTUATION.find((candidate) => rest.startsWith(candidate));
    if (!punct) throw new ExpressionError(`does not parse: unexpected "${rest[0]}" at character ${at + 1}`);
    tokens.push({ kind: 'punct', text: punct, at });
    at += punct.length;
  }
  return tokens;
}

class Parser {
  private position = 0;
  private depth = 0;
  private readonly tokens: Token[];
  private readonly text: string;
  private readonly functions: ReadonlySet<string>;

  constructor(tokens: Token[], text: string, functions: ReadonlySet<string>) {
    this.tokens = tokens;
    this.text = text;
    this.functions = functions;
  }

  parse(): ConditionNode {
    if (this.tokens.length === 0) throw new ExpressionError('does not parse: it is empty');
    const root = this.conditional();
    const next = this.peek();
    if (next) throw this.unexpected(next);
    return root;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'punct' && token.text === text;
  }

  private isWord(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'name' && token.text === text;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) {
      const token = this.peek();
      throw token ? this.unexpected(token) : new ExpressionError(`does not parse: "${text}" expected at the end`);
    }
    this.position += 1;
  }

  /** Whether the call that starts here is `name(...) = ...`: its closing parenthesis followed by `=`. */
  private definesFunction(): boolean {
    let open = 0;
    for (let index = this.position; index < this.tokens.length; index += 1) {
      const token = this.tokens[index] as Token;
      if (token.kind !== 'punct') continue;
      if (token.text === '(') open += 1;
      else if (token.text === ')' && --open === 0) {
        const next = this.tokens[index + 1];
        return next?.kind === 'punct' && next.text === '=';
      }
    }
    return false;
  }

  private unexpected(token: Token): ExpressionError {
    if (token.kind === 'punct' && REFUSED[token.text]) {
      return new ExpressionError(`${REFUSED[token.text]} is not allowed in a condition (character ${token.at + 1})`);
    }
    const shown = token.kind === 'number' ? this.text.slice(token.at).match(NUMBER)?.[0] : token.text;
    return new ExpressionError(`does not parse: unexpected "${shown}" at character ${token.at + 1}`);
  }

  private nested<T>(parse: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_NESTING) throw new ExpressionError(`is nested too deeply (more than ${MAX_NESTING} levels)`);
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  private conditional(): ConditionNode {
    const test = this.logical(0);
    if (!this.isPunct('?')) return test;
    this.position += 1;
    return this.nested(() => {
      const then = this.conditional();
      this.expectPunct(':');
      const otherwise = this.conditional();
      return { type: 'conditional', test, then, otherwise };
    });
  }

  // or < xor < and, each left-associative.
  private logical(level: number): ConditionNode {
    const words = ['or', 'xor', 'and'] as const;
    const word = words[level];
    if (!word) return this.comparison();
    let left = this.logical(level + 1);
    while (this.isWord(word)) {
      this.position += 1;
      left = { type: 'binary', operator: word, left, right: this.logical(level + 1) };
    }
    return left;
  }

  private comparison(): ConditionNode {
    const operands = [this.additive()];
    const operators: CompareOperator[] = [];
    for (;;) {
      const token = this.peek();
      if (token?.kind !== 'punct' || !['==', '!=', '<', '<=', '>', '>='].includes(token.text)) break;
      this.position += 1;
      operators.push(token.text as CompareOperator);
      operands.push(this.additive());
    }
    return operators.length === 0 ? (operands[0] as ConditionNode) : { type: 'compare', operators, operands };
  }

  private additive(): ConditionNode {
    let left = this.multiplicative();
    while (this.isPunct('+') || this.isPunct('-')) {
      const operator = (this.peek() as { text: '+' | '-' }).text;
      this.position += 1;
      left = { type: 'binary', operator, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): ConditionNode {
    let left = this.unary();
    for (;;) {
      const operator = this.isPunct('*') ? '*' : this.isPunct('/') ? '/' : this.isPunct('%') || this.isWord('mod') ? 'mod' : undefined;
      if (!operator) return left;
      this.position += 1;
      left = { type: 'binary', operator, left, right: this.unary() };
    }
  }

  // Unary operators bind looser than ^: -2^2 is -(2^2), as in mathjs.
  private unary(): ConditionNode {
    const operator = this.isPunct('-') ? '-' : this.isPunct('+') ? '+' : this.isWord('not') ? 'not' : undefined;
    if (!operator) return this.power();
    this.position += 1;
    return this.nested(() => ({ type: 'unary', operator, operand: this.unary() }));
  }

  private power(): ConditionNode {
    const base = this.primary();
    if (!this.isPunct('^')) return base;
    this.position += 1;
    return this.nested(() => ({ type: 'binary', operator: '^', left: base, right: this.unary() }));
  }

  private primary(): ConditionNode {
    const token = this.peek();
    if (!token) throw new ExpressionError('does not parse: it ends where a value is expected');
    if (token.kind === 'number') {
      this.position += 1;
      return { type: 'number', value: token.value };
    }
    if (token.kind === 'punct') {
      if (token.text !== '(') throw this.unexpected(token);
      this.position += 1;
      return this.nested(() => {
        const inner = this.conditional();
        this.expectPunct(')');
        return inner;
      });
    }
    if (WORD_OPERATORS.has(token.text)) throw this.unexpected(token);
    this.position += 1;
    if (token.text === 'true' || token.text === 'false') return { type: 'boolean', value: token.text === 'true' };
    if (!this.isPunct('(')) return { type: 'symbol', name: token.text };
    if (this.definesFunction()) throw new ExpressionError('a function definition is not allowed in a condition');
    if (!this.functions.has(token.text)) {
      throw new ExpressionError(`function "${token.text}" is not allowed; allowed: ${[...this.functions].join(', ')}`);
    }
    this.position += 1;
    return this.nested(() => {
      const args: ConditionNode[] = [];
      if (!this.isPunct(')')) {
        args.push(this.conditional());
        while (this.isPunct(',')) {
          this.position += 1;
          args.push(this.conditional());
        }
      }
      this.expectPunct(')');
      return { type: 'call', name: token.text, args };
    });
  }
}

/**
 * Parses a condition into its tree; throws ExpressionError naming what does not parse or is refused,
 * including a call of a function not in `functions`.
 */
export function parseCondition(text: string, functions: ReadonlySet<string>): ConditionNode {
  return new Parser(tokenize(text), text, functions).parse();
}
