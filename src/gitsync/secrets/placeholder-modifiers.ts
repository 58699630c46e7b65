// The modifiers of argocd-vault-plugin placeholders (<key | base64encode>), applied left to right.
// A modifier's error says what was wrong with the value's shape, never what the value is.
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { evaluateKubeJsonPath } from './kube-jsonpath.ts';

type Modifier = (args: string[], input: unknown) => unknown;

const MODIFIERS: Record<string, Modifier> = {
  base64encode: (args, input) => {
    noArguments(args);
    return Buffer.from(text(input), 'utf8').toString('base64');
  },
  base64decode: (args, input) => {
    noArguments(args);
    const encoded = text(input);
    if (!isStrictBase64(encoded)) throw new Error('the value is not base64');
    return Buffer.from(encoded, 'base64').toString('utf8');
  },
  jsonPath: (args, input) => {
    if (args.length === 0) throw new Error('jsonPath needs an expression, e.g. jsonPath {.username}');
    return evaluateKubeJsonPath(args.join(' '), typeof input === 'string' ? parseJson(input) : input);
  },
  jsonParse: (args, input) => {
    noArguments(args);
    return parseJson(text(input));
  },
  yamlParse: (args, input) => {
    noArguments(args);
    try {
      return parseYaml(text(input)) as unknown;
    } catch {
      throw new Error('the value is not YAML');
    }
  },
  sha256sum: (args, input) => {
    noArguments(args);
    return createHash('sha256').update(text(input), 'utf8').digest('hex');
  },
  indent: (args, input) => {
    const level = args.length === 1 && /^\d+$/.test(args[0] ?? '') ? Number(args[0]) : undefined;
    if (level === undefined) throw new Error('indent needs one number of spaces');
    const [first = '', ...rest] = text(input).split('\n');
    const pad = ' '.repeat(level);
    return [first.trim(), ...rest.filter((line) => line !== '').map((line) => pad + line.trim())].join('\n');
  },
};

export const MODIFIER_NAMES = Object.keys(MODIFIERS);

/** Runs "name arg arg" statements over a value. */
export function applyModifiers(value: unknown, statements: string[]): unknown {
  let current = value;
  for (const statement of statements) {
    const [name = '', ...args] = statement.trim().split(/\s+/);
    const modifier = Object.hasOwn(MODIFIERS, name) ? MODIFIERS[name] : undefined;
    if (!modifier) throw new Error(`unknown modifier "${name}" (known: ${MODIFIER_NAMES.join(', ')})`);
    try {
      current = modifier(args, current);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`);
    }
  }
  return current;
}

/** Go's base64.StdEncoding rules: the standard alphabet, padded to a multiple of four. */
export function isStrictBase64(value: string): boolean {
  return value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value);
}

function text(input: unknown): string {
  if (typeof input !== 'string') throw new Error(`the value is ${Array.isArray(input) ? 'a list' : typeof input}, not a string`);
  return input;
}

function noArguments(args: string[]): void {
  if (args.length > 0) throw new Error('takes no arguments');
}

// JSON.parse's own message quotes the input, so it is replaced.
function parseJson(input: string): unknown {
  try {
    return JSON.parse(input) as unknown;
  } catch {
    throw new Error('the value is not JSON');
  }
}
