// What the dashboard shows of a Canary: one row of the list, the detail page, and one point of the
// chart (weight and each check's value at a moment), all from the object as the watch cache holds it.
import type { Canary } from '../../api/canary.ts';
import { scheduleOf } from '../../canary/schedule.ts';

export interface CanaryRow {
  namespace: string;
  name: string;
  phase: string;
  weight: number;
  step: string;
  failedChecks: number;
  message: string;
  lastTransitionTime?: string;
}

export interface CheckView {
  name: string;
  kind: string;
  passed: boolean;
  value?: number;
  threshold?: string;
  query?: string;
  reason?: string;
  message?: string;
  time: string;
}

export interface StepView {
  index: number;
  description: string;
  state: 'done' | 'current' | 'pending';
}

export interface CanaryDetail extends CanaryRow {
  target: string;
  provider?: string;
  revision?: string;
  pausedFor?: string;
  steps: StepView[];
  checks: CheckView[];
  conditions: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  point: ChartPoint;
}

/** One sample of the run: the weight and the newest value of each metric check, at `time` (ms). */
export interface ChartPoint {
  time: number;
  weight: number;
  values: Record<string, number>;
}

/** The schedule as one line per step, in the engine's own terms (scheduleOf). */
export function stepDescriptions(canary: Canary): string[] {
  if (!canary.spec?.analysis) return [];
  return scheduleOf(canary.spec.analysis).map((step) => {
    if (step.kind === 'weight') return `weight ${step.weight}%`;
    const held = step.durationMs === undefined ? 'until promoted' : `${Math.round(step.durationMs / 1000)}s`;
    return `pause at ${step.weight}% ${held}`;
  });
}

/** "2/3" while a run is on its steps, "stopped at 2/3" once it failed there; nothing otherwise. */
function stepLabel(canary: Canary, total: number): string {
  const current = canary.status?.currentStep ?? -1;
  if (current < 0 || total === 0) return '';
  const position = `${Math.min(current + 1, total)}/${total}`;
  const phase = canary.status?.phase;
  if (phase === 'Progressing' || phase === 'WaitingPromotion') return position;
  return phase === 'Failed' ? `stopped at ${position}` : '';
}

export function canaryRow(canary: Canary): CanaryRow {
  const total = stepDescriptions(canary).length;
  return {
    namespace: canary.metadata?.namespace ?? '',
    name: canary.metadata?.name ?? '',
    phase: canary.status?.phase || 'Unknown',
    weight: canary.status?.canaryWeight ?? 0,
    step: stepLabel(canary, total),
    failedChecks: canary.status?.failedChecks ?? 0,
    message: canary.status?.message ?? '',
    ...(canary.status?.lastTransitionTime ? { lastTransitionTime: canary.status.lastTransitionTime } : {}),
  };
}

export function canaryPoint(canary: Canary, now: number): ChartPoint {
  const values: Record<string, number> = {};
  // Checks are newest first: keep each metric's newest value.
  for (const check of canary.status?.checks ?? []) {
    if (check.kind === 'metric' && check.value !== undefined && !(check.name in values)) values[check.name] = check.value;
  }
  return { time: now, weight: canary.status?.canaryWeight ?? 0, values };
}

function stepState(index: number, canary: Canary): StepView['state'] {
  const phase = canary.status?.phase;
  if (phase === 'Succeeded' || phase === 'Promoting' || phase === 'Finalising') return 'done';
  if (phase !== 'Progressing' && phase !== 'WaitingPromotion') return 'pending';
  const current = canary.status?.currentStep ?? -1;
  if (index < current) return 'done';
  return index === current ? 'current' : 'pending';
}

export function canaryDetail(canary: Canary, now: number): CanaryDetail {
  const descriptions = stepDescriptions(canary);
  return {
    ...canaryRow(canary),
    target: `${canary.spec?.targetRef?.kind ?? 'Deployment'}/${canary.spec?.targetRef?.name ?? ''}`,
    ...(canary.spec?.provider ? { provider: canary.spec.provider } : {}),
    ...(canary.status?.lastAppliedSpec ? { revision: canary.status.lastAppliedSpec } : {}),
    ...(canary.status?.pausedFor ? { pausedFor: canary.status.pausedFor } : {}),
    steps: descriptions.map((description, index) => ({ index, description, state: stepState(index, canary) })),
    checks: (canary.status?.checks ?? []).map((check) => ({
      name: check.name,
      kind: check.kind,
      passed: check.passed,
      time: check.time,
      ...(check.value !== undefined ? { value: check.value } : {}),
      ...(check.threshold !== undefined ? { threshold: check.threshold } : {}),
      ...(check.query !== undefined ? { query: check.query } : {}),
      ...(check.reason !== undefined ? { reason: check.reason } : {}),
      ...(check.message !== undefined ? { message: check.message } : {}),
    })),
    conditions: (canary.status?.conditions ?? []).map((condition) => ({
      type: condition.type,
      status: condition.status,
      ...(condition.reason ? { reason: condition.reason } : {}),
      ...(condition.message ? { message: condition.message } : {}),
      ...(condition.lastTransitionTime ? { lastTransitionTime: condition.lastTransitionTime } : {}),
    })),
    point: canaryPoint(canary, now),
  };
}
