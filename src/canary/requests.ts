// Manual control travels as an annotation, so the CLI needs nothing but permission to annotate:
//   wren.dev/request: "<action>@<unique id>"   e.g. "promote@2026-03-01T12:00:00.123Z"
// The engine records the value in status.lastHandledRequest, so each request acts exactly once.
import type { ManualRequest, RequestAction } from './engine-types.ts';

export const REQUEST_ANNOTATION = 'wren.dev/request';
const ACTIONS: readonly RequestAction[] = ['promote', 'promote-full', 'abort', 'retry'];

export function parseRequest(value: string | undefined): ManualRequest | undefined {
  if (!value) return undefined;
  const action = value.split('@')[0] as RequestAction;
  return ACTIONS.includes(action) ? { action, id: value } : undefined;
}

export function formatRequest(action: RequestAction, now: Date): string {
  return `${action}@${now.toISOString()}`;
}
