// Writes a string as a YAML scalar in a given style, so an edited value looks like the one it replaces.
import { parse, Scalar } from 'yaml';

export type WrittenStyle = 'plain' | 'single' | 'double';

/** The style to keep for a scalar; undefined for block scalars (| and >), which are not rewritten. */
export function writtenStyleOf(node: Scalar): WrittenStyle | undefined {
  switch (node.type) {
    case Scalar.QUOTE_SINGLE:
      return 'single';
    case Scalar.QUOTE_DOUBLE:
      return 'double';
    case Scalar.BLOCK_FOLDED:
    case Scalar.BLOCK_LITERAL:
      return undefined;
    default:
      return 'plain';
  }
}

/**
 * Plain when the value reads back as the same string, single-quoted when it has no characters that
 * single quotes cannot carry, otherwise double-quoted (JSON escaping is valid YAML).
 */
export function renderScalar(style: WrittenStyle, value: string): string {
  if (style === 'plain' && readsBackPlain(value)) return value;
  if (style === 'single' && !/[\p{Cc}\u2028\u2029]/u.test(value)) return `'${value.replaceAll("'", "''")}'`;
  return JSON.stringify(value);
}

// Characters that mean the same in block and flow context, never start an indicator, and hold no
// ": " or " #"; the parse check below rules out numbers, booleans, nulls and a trailing ":".
const plainShape = /^[A-Za-z0-9_./][A-Za-z0-9_./@:+-]*$/;

/**
 * Whether the value, written plain, is still this string. Checked under YAML 1.1 too: kubectl, kustomize
 * and helm read YAML with 1.1 rules, where 1_000, 0755, 1:20 and yes are numbers and booleans.
 */
export function readsBackPlain(value: string): boolean {
  if (!plainShape.test(value)) return false;
  try {
    return parse(value) === value && parse(value, { version: '1.1' }) === value;
  } catch {
    return false;
  }
}
