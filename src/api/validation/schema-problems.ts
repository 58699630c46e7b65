// Runtime schema validation with messages that name the field, in the dotted form users write.
import type { TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import type { FieldProblem } from './field-problem.ts';

export function pointerToField(pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function messageOf(error: ValueError): string {
  if (error.type === ValueErrorType.Union && Array.isArray(error.schema.anyOf)) {
    const literals = (error.schema.anyOf as { const?: unknown }[]).map((member) => member.const);
    if (literals.every((literal) => literal !== undefined)) {
      return `must be one of ${literals.map((literal) => JSON.stringify(literal)).join(', ')}; got ${JSON.stringify(error.value)}`;
    }
  }
  if (error.type === ValueErrorType.ObjectRequiredProperty) return 'is required';
  return error.message.charAt(0).toLowerCase() + error.message.slice(1);
}

export function schemaProblems(schema: TSchema, value: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    const field = pointerToField(error.path) || '(object)';
    // A missing or mistyped parent yields one error per child; the first one says enough.
    if ([...seen].some((reported) => field.startsWith(`${reported}.`) || field.startsWith(`${reported}[`))) continue;
    if (seen.has(field)) continue;
    seen.add(field);
    problems.push({ field, message: messageOf(error) });
  }
  return problems;
}
