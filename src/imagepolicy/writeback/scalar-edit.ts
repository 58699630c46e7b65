// The shared primitive of every editor: make one scalar read as a new string by replacing exactly its
// source range, written in the style it already had. Comments, indentation and everything else stay.
import type { Scalar } from 'yaml';
import { lineOf, type ParsedYaml } from './parsed-yaml.ts';
import { renderScalar, writtenStyleOf } from './scalar-style.ts';
import type { TextEdit } from './text-edits.ts';
import { WriteBackError } from './write-back-error.ts';

export interface ScalarEdit {
  node: Scalar;
  value: string;
}

/**
 * The text edit that makes the scalar read as value, or undefined when it already does. A value
 * that is not the string (1.0 read as a number) is rewritten, quoted, so tools see the tag as text.
 */
export function scalarTextEdit(parsed: ParsedYaml, { node, value }: ScalarEdit): TextEdit | undefined {
  if (node.value === value) return undefined;
  const range = node.range;
  if (!range) throw new Error('scalar without a source range: parse the text with the yaml parser, not build it');
  const [start, end] = range;
  const style = writtenStyleOf(node);
  if (style === undefined) {
    // Re-indenting and chomping a block scalar is easy to get subtly wrong; image values never need it.
    throw new WriteBackError(
      `line ${lineOf(parsed, start)}: the value is a block scalar (| or >), which write-back does not rewrite; write it on one line`,
    );
  }
  const rendered = renderScalar(style, value);
  if (start < end) return { start, end, replacement: rendered };
  // An empty value (`tag:`) has no characters to replace: write the value where it belongs, with
  // the separating spaces that the key or dash before it and a comment after it need.
  const before = parsed.text[start - 1] ?? '';
  const after = parsed.text[start] ?? '';
  const replacement = `${/[ \t]/.test(before) ? '' : ' '}${rendered}${after === '#' ? ' ' : ''}`;
  return { start, end, replacement };
}

/** The value as the file wrote it, for reports: `1.0` stays "1.0", an empty value is "". */
export function writtenValue(node: Scalar): string {
  return typeof node.source === 'string' ? node.source : String(node.value ?? '');
}
