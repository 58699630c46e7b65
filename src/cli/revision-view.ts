// What `wren wait` prints of a commit's verdict: the GitSync, one line per canary, the failed checks
// of a failed run, and the verdict. Pure, so it is a table test.
import type { CanaryVerdict, RevisionVerdict } from '../release/revision-verdict.ts';
import { shortSha } from '../release/revision-match.ts';
import { checkResult, formatValue } from './release-view.ts';
import { table } from './table.ts';

function failedChecks(canary: CanaryVerdict): string[] {
  if (canary.failedChecks.length === 0) return [];
  const rows = canary.failedChecks.map((check) => [
    check.name,
    check.kind,
    formatValue(check.value),
    check.threshold || '-',
    checkResult({ passed: false, ...(check.reason ? { reason: check.reason } : {}) }),
    check.message ?? '',
  ]);
  return [
    '',
    `failed checks of ${canary.canary}:`,
    ...table(['CHECK', 'KIND', 'VALUE', 'THRESHOLD', 'RESULT', 'MESSAGE'], rows).map((line) => `  ${line}`),
  ];
}

export function renderVerdict(verdict: RevisionVerdict): string {
  const lines = verdict.gitSyncs.map((sync) => sync.message);
  if (verdict.canaries.length > 0) {
    const rows = verdict.canaries.map((canary) => [
      canary.canary,
      shortSha(canary.revision),
      canary.phase,
      canary.state,
      canary.reason ?? '',
      canary.message ?? '',
    ]);
    lines.push(...table(['CANARY', 'REVISION', 'PHASE', 'VERDICT', 'REASON', 'MESSAGE'], rows));
  }
  for (const canary of verdict.canaries) lines.push(...failedChecks(canary));
  lines.push('', `revision ${shortSha(verdict.revision)} ${verdict.state}: ${verdict.message}`);
  return `${lines.join('\n')}\n`;
}
