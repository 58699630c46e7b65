// What the dashboard shows of a GitSync: one row of the list and the detail page (revision, sync and
// health, the objects it applied, what the last sync changed or found drifted, its history).
import type { GitSync } from '../../api/git-sync.ts';

export interface GitSyncRow {
  namespace: string;
  name: string;
  url: string;
  ref: string;
  revision: string;
  sync: string;
  health: string;
  ready: string;
  message: string;
  rollbackTo?: string;
  lastSyncTime?: string;
}

type Status = NonNullable<GitSync['status']>;

export interface GitSyncDetail extends GitSyncRow {
  path: string;
  objects: { apiVersion: string; kind: string; namespace?: string; name: string; drifted: boolean }[];
  diff?: Status['diff'];
  history: NonNullable<Status['history']>;
  releases: NonNullable<Status['releases']>;
  conditions: NonNullable<Status['conditions']>;
}

function describeRef(ref: GitSync['spec']['ref'] | undefined): string {
  if (!ref) return '';
  const entry = Object.entries(ref).find(([, value]) => typeof value === 'string' && value !== '');
  return entry ? `${entry[0]} ${entry[1]}` : '';
}

export function gitSyncRow(gitSync: GitSync): GitSyncRow {
  const ready = gitSync.status?.conditions?.find((condition) => condition.type === 'Ready');
  return {
    namespace: gitSync.metadata?.namespace ?? '',
    name: gitSync.metadata?.name ?? '',
    url: gitSync.spec?.url ?? '',
    ref: describeRef(gitSync.spec?.ref),
    revision: gitSync.status?.lastAppliedRevision ?? '',
    sync: gitSync.status?.sync ?? 'Unknown',
    health: gitSync.status?.health ?? 'Unknown',
    ready: ready?.status ?? 'Unknown',
    message: ready?.message ?? '',
    ...(gitSync.spec?.rollbackTo ? { rollbackTo: gitSync.spec.rollbackTo } : {}),
    ...(gitSync.status?.lastSyncTime ? { lastSyncTime: gitSync.status.lastSyncTime } : {}),
  };
}

/** status.diff.drifted names objects as the apply plan does: "Kind namespace/name (changed paths)". */
const driftName = (kind: string, namespace: string | undefined, name: string) => `${kind} ${namespace ? `${namespace}/` : ''}${name}`;

export function gitSyncDetail(gitSync: GitSync): GitSyncDetail {
  const drifted = gitSync.status?.diff?.drifted ?? [];
  const isDrifted = (name: string) => drifted.some((line) => line === name || line.startsWith(`${name} (`));
  return {
    ...gitSyncRow(gitSync),
    path: gitSync.spec?.path ?? '',
    objects: (gitSync.status?.inventory ?? []).map((entry) => ({
      apiVersion: entry.apiVersion,
      kind: entry.kind,
      ...(entry.namespace ? { namespace: entry.namespace } : {}),
      name: entry.name,
      drifted: isDrifted(driftName(entry.kind, entry.namespace, entry.name)),
    })),
    ...(gitSync.status?.diff ? { diff: gitSync.status.diff } : {}),
    history: gitSync.status?.history ?? [],
    releases: gitSync.status?.releases ?? [],
    conditions: gitSync.status?.conditions ?? [],
  };
}
