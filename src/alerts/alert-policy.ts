// Which happenings of a canary run are worth an alert, and how loud. Routine steps (initialization,
// each promotion stage) produce Events only.
import type { Severity } from './alert-message.ts';

const INFO_REASONS = new Set(['NewRevision', 'RevisionChanged', 'Retry', 'WaitingForApproval', 'WaitingForPromotion', 'Succeeded']);

export function alertSeverity(reason: string, phase: string): Severity | undefined {
  if (phase === 'Failed') return 'error';
  if (reason === 'CheckFailed' || reason === 'MetricsUnavailable') return 'warn';
  return INFO_REASONS.has(reason) ? 'info' : undefined;
}
