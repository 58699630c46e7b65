// What `wren status NAME --watch` shows of a release in progress, and when `--until-done` may stop:
// pure functions of the Canary (and its target's generation), so each is a table test.
import type { Canary } from '../api/canary.ts';
import { latestChecks, type CheckRecord } from '../canary/latest-checks.ts';
import { scheduleOf } from '../canary/schedule.ts';
import { age, table } from './table.ts';

const BAR_WIDTH = 20;

/** `[#####---------------]  25%`: the canary's share of the traffic. */
export function weightBar(weight: number, width = BAR_WIDTH): string {
  const clamped = Math.min(100, Math.max(0, weight));
  const filled = Math.round((clamped / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(clamped).padStart(3)}%`;
}

/** A measured value as the views print it: integers as they are, others to two decimals. */
export function formatValue(value: number | undefined): string {
  if (value === undefined) return '-';
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** A check's outcome: pass, FAIL (reason), inconclusive (reason), or waiting before its first check. */
export function checkResult(check: Pick<CheckRecord, 'passed' | 'reason' | 'inconclusive'> | undefined): string {
  if (!check) return 'waiting';
  if (check.passed) return 'pass';
  const reason = check.reason ? ` (${check.reason})` : '';
  return check.inconclusive ? `inconclusive${reason}` : `FAIL${reason}`;
}

/** The live view: phase, weight bar, step, and each check's latest value against its threshold. */
export function renderRelease(canary: Canary, now: Date): string {
  const status = canary.status ?? {};
  const phase = status.phase || 'Initializing';
  const steps = scheduleOf(canary.spec.analysis).length;
  const step = (status.currentStep ?? -1) >= 0 ? `step ${(status.currentStep ?? 0) + 1} of ${steps}` : `${steps} steps`;
  const lines = [
    `${canary.metadata?.namespace}/${canary.metadata?.name}  ${phase}${status.reason ? ` (${status.reason})` : ''}, ${age(status.lastTransitionTime, now)}`,
    `  canary ${weightBar(status.canaryWeight ?? 0)}  ${step}, ${status.failedChecks ?? 0} of ${canary.spec.analysis.threshold} failures allowed`,
  ];
  if (status.message) lines.push(`  ${status.message}`);
  const release = status.release;
  if (release?.revision)
    lines.push(`  release: commit ${release.revision.slice(0, 12)} from GitSync ${release.gitSync ?? '?'}${releasedImages(release)}`);
  const ready = status.conditions?.find((condition) => condition.type === 'Ready');
  if (ready?.status === 'False') lines.push(`  not ready: ${ready.reason}: ${ready.message ?? ''}`);
  const rows = latestChecks(canary).map(({ name, kind, threshold, latest }) => [
    name,
    kind,
    formatValue(latest?.value),
    threshold || '-',
    checkResult(latest),
    latest ? age(latest.time, now) : '-',
  ]);
  if (rows.length > 0) lines.push('', ...table(['CHECK', 'KIND', 'VALUE', 'THRESHOLD', 'RESULT', 'AGE'], rows).map((line) => `  ${line}`));
  // A comparison's verdict is its evidence: both sides, the samples and how sure, in one line each.
  for (const { name, latest } of latestChecks(canary)) {
    if (latest?.message && (latest.evidence || latest.inconclusive)) lines.push(`  ${name}: ${latest.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/** ", images app 1.0.0 → 2.0.0" for the containers whose image the run changes. */
function releasedImages(release: NonNullable<NonNullable<Canary['status']>['release']>): string {
  const changed = (release.images ?? []).filter((image) => image.primaryImage && image.primaryImage !== image.image);
  return changed.length > 0 ? `, ${changed.map((image) => `${image.container} ${image.primaryImage} → ${image.image}`).join(', ')}` : '';
}

export type ReleaseOutcome = 'succeeded' | 'failed';

/**
 * Whether the release is over, for `--until-done`: the Canary has acted on the target as it is now
 * (a later target generation is a release Wren has not picked up yet) and its phase is final.
 * Initialized counts as success: the first version went straight to the primary.
 */
export function releaseOutcome(canary: Canary, targetGeneration: number | undefined): ReleaseOutcome | undefined {
  const status = canary.status ?? {};
  if (targetGeneration !== undefined && (status.observedTargetGeneration ?? -1) < targetGeneration) return undefined;
  if (status.phase === 'Succeeded' || status.phase === 'Initialized') return 'succeeded';
  if (status.phase === 'Failed') return 'failed';
  return undefined;
}

/**
 * After a rollback, whether the failed version still has pods that could answer: Failed is recorded
 * before the routes change and the canary scales to zero, so `--until-done` exits only once none is
 * left, running or draining.
 */
export function failedVersionServes(targetStatus: { replicas?: number; terminatingReplicas?: number } | undefined): boolean {
  return (targetStatus?.replicas ?? 0) > 0 || (targetStatus?.terminatingReplicas ?? 0) > 0;
}
