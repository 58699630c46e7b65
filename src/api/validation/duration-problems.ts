// Durations the schema's pattern accepts but that are longer than Wren can wait, found by walking the
// schema next to the value: every string field with the duration pattern, wherever it sits.
import { DURATION_PATTERN, MAX_DURATION, MAX_DURATION_MS, parseDuration } from '../duration.ts';
import { quoted, type FieldProblem } from './field-problem.ts';

export interface SchemaNode {
  type?: string;
  pattern?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

export function durationProblems(schema: SchemaNode, value: unknown, field = ''): FieldProblem[] {
  if (schema.type === 'string' && schema.pattern === DURATION_PATTERN && typeof value === 'string') {
    const ms = parseDuration(value);
    if (ms === undefined || ms <= MAX_DURATION_MS) return [];
    return [{ field, message: `${quoted(value, 40)} is longer than ${MAX_DURATION}, the longest Wren can wait` }];
  }
  if (schema.type === 'object' && schema.properties && isRecord(value)) {
    return Object.entries(schema.properties).flatMap(([name, child]) =>
      Object.hasOwn(value, name) ? durationProblems(child, value[name], field ? `${field}.${name}` : name) : [],
    );
  }
  if (schema.type === 'array' && schema.items && Array.isArray(value)) {
    const items = schema.items;
    return value.flatMap((item, index) => durationProblems(items, item, `${field}[${index}]`));
  }
  return [];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
