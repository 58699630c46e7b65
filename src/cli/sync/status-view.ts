// What `wren sync status` prints: one row per GitSync, or one GitSync in detail with its history.
import type { GitSync } from '../../api/git-sync.ts';
import { age, table } from '../table.ts';
import { describeRef, shortRevision } from './revision.ts';

export const SUMMARY_HEADER = ['NAME', 'REVISION', 'SYNC', 'HEALTH', 'READY', 'LAST SYNC', 'MESSAGE'];

const readyOf = (gitSync: GitSync) => gitSync.status?.conditions?.find((condition) => condition.type === 'Ready');

export function summaryRow(gitSync: GitSync, now: Date, withNamespace: boolean): string[] {
  const status = gitSync.status ?? {};
  const ready = readyOf(gitSync);
  return [
    ...(withNamespace ? [gitSync.metadata?.namespace ?? ''] : []),
    gitSync.metadata?.name ?? '',
    shortRevision(status.lastAppliedRevision),
    status.sync ?? 'Unknown',
    status.health ?? 'Unknown',
    ready?.status ?? 'Unknown',
    age(status.lastSyncTime, now),
    ready?.message ?? '',
  ];
}

/** Why the GitSync does or does not follow its ref right now. */
export function autoSyncState(gitSync: GitSync): string {
  const { namespace, name } = gitSync.metadata ?? {};
  if (gitSync.spec.rollbackTo) {
    return `paused by a rollback: held at ${shortRevision(gitSync.spec.rollbackTo)}; \`wren sync resume ${name} -n ${namespace}\` follows ${describeRef(gitSync.spec.ref)} again`;
  }
  if (gitSync.spec.suspend) return 'suspended (spec.suspend)';
  return `following ${describeRef(gitSync.spec.ref)} every ${gitSync.spec.interval ?? '1m'}`;
}

export function describeGitSync(gitSync: GitSync, now: Date): string {
  const { spec } = gitSync;
  const status = gitSync.status ?? {};
  const ready = readyOf(gitSync);
  const attempted = status.lastAttemptedRevision;
  const lines = [
    `GitSync ${gitSync.metadata?.namespace}/${gitSync.metadata?.name}`,
    `  Source:      ${spec.url} (${describeRef(spec.ref)}), path ${spec.path || '/'}`,
    `  Revision:    ${status.lastAppliedRevision ?? 'none applied yet'}${status.lastSyncTime ? `, synced ${age(status.lastSyncTime, now)} ago` : ''}`,
  ];
  if (attempted && attempted !== status.lastAppliedRevision) lines.push(`  Attempted:   ${attempted}`);
  lines.push(
    `  Sync:        ${status.sync ?? 'Unknown'}, health ${status.health ?? 'Unknown'}`,
    `  Ready:       ${ready ? `${ready.status} (${ready.reason})${ready.message ? `: ${ready.message}` : ''}` : 'Unknown'}`,
    `  Auto-sync:   ${autoSyncState(gitSync)}`,
  );
  const diff = status.diff;
  if (diff) {
    lines.push(`  Diff:        ${diff.created} created, ${diff.updated} updated, ${diff.deleted} deleted, ${diff.unchanged} unchanged`);
    const drifted = diff.drifted ?? [];
    lines.push(`  Drifted:     ${drifted.length === 0 ? 'none' : drifted.length}`);
    for (const object of drifted) lines.push(`    ${object}`);
  }
  lines.push('', 'History (newest first):');
  const history = status.history ?? [];
  if (history.length === 0) lines.push('  none yet');
  else {
    const rows = history.map((record) => [
      shortRevision(record.revision),
      record.time,
      age(record.time, now),
      record.result,
      record.trigger ?? '',
      record.message ?? '',
    ]);
    lines.push(...table(['REVISION', 'TIME', 'AGE', 'RESULT', 'TRIGGER', 'MESSAGE'], rows).map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}
