// Splices replacements into text by offset. Everything outside the replaced ranges is kept byte for
// byte, which is the whole promise of a write-back.
export interface TextEdit {
  /** Offsets into the original text; start === end inserts. */
  start: number;
  end: number;
  replacement: string;
}

export interface AppliedEdits {
  text: string;
  /** Where each edit's replacement starts in the new text, in the order the edits were given. */
  starts: number[];
}

/**
 * Applies the edits from the end of the text backwards, so every offset still refers to the original.
 * Insertions at the same offset keep their given order. Overlapping edits are a bug in the caller.
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): AppliedEdits {
  const order = edits.map((_, index) => index).sort((a, b) => edits[a]!.start - edits[b]!.start || a - b);
  for (let i = 1; i < order.length; i++) {
    const previous = edits[order[i - 1]!]!;
    const current = edits[order[i]!]!;
    if (current.start < previous.end) throw new Error(`overlapping text edits at offsets ${previous.start} and ${current.start}`);
  }
  let result = text;
  for (const index of order.toReversed()) {
    const edit = edits[index]!;
    result = result.slice(0, edit.start) + edit.replacement + result.slice(edit.end);
  }
  const starts: number[] = new Array(edits.length);
  let shift = 0;
  for (const index of order) {
    const edit = edits[index]!;
    starts[index] = edit.start + shift;
    shift += edit.replacement.length - (edit.end - edit.start);
  }
  return { text: result, starts };
}
