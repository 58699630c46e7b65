// The last step every editor shares: splice the planned edits in, verify the result, report the changes.
import type { EditResult, ValueChange } from './edit-result.ts';
import type { ParsedYaml } from './parsed-yaml.ts';
import { applyTextEdits, type TextEdit } from './text-edits.ts';
import { verifyWriteBack, type IntendedValue } from './verify-write-back.ts';

export interface PlannedEdit extends IntendedValue {
  /** The value as it was written before ("" when the key is added). */
  from: string;
  edit: TextEdit;
}

export function finishWriteBack(parsed: ParsedYaml, planned: readonly PlannedEdit[], problems: readonly string[]): EditResult {
  if (planned.length === 0) return { text: parsed.text, changes: [], problems: [...problems] };
  const { text, starts } = applyTextEdits(
    parsed.text,
    planned.map((plan) => plan.edit),
  );
  verifyWriteBack(parsed, text, planned);
  const changes: ValueChange[] = planned.map((plan, index) => ({
    // An added key starts with its line break: its line is the one after.
    line: lineAt(text, starts[index]! + leadingLineBreaks(plan.edit.replacement)),
    from: plan.from,
    to: plan.value,
  }));
  changes.sort((a, b) => a.line - b.line);
  return { text, changes, problems: [...problems] };
}

function leadingLineBreaks(replacement: string): number {
  return replacement.length - replacement.replace(/^[\r\n]+/, '').length;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}
