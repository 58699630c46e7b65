// What each dashboard request needs of its caller: the same verb on the same resource that kubectl or
// the wren CLI would need. promote, abort and retry patch the Canary's wren.dev/request annotation
// (src/cli/request.ts); sync now patches the GitSync's wren.dev/requested-at annotation
// (src/gitsync/sync-request.ts); rollback patches the GitSync's spec.rollbackTo (src/cli/sync/rollback.ts).
import { GROUP } from '../../api/group.ts';
import type { Permission } from './access-decision.ts';

export const DASHBOARD_KINDS = ['canaries', 'gitsyncs', 'imagepolicies'] as const;
export type DashboardKind = (typeof DASHBOARD_KINDS)[number];

export const CANARY_ACTIONS = ['promote', 'abort', 'retry'] as const;
export type CanaryAction = (typeof CANARY_ACTIONS)[number];
export const GITSYNC_ACTIONS = ['sync', 'rollback'] as const;
export type GitSyncAction = (typeof GITSYNC_ACTIONS)[number];

/** Reading a kind: `list` it, in the namespace asked for or everywhere. */
export function readPermission(kind: DashboardKind, namespace: string | undefined): Permission {
  return { verb: 'list', group: GROUP, resource: kind, ...(namespace ? { namespace } : {}) };
}

/** The recent events of one object: `list` events in its namespace. */
export function eventsPermission(namespace: string): Permission {
  return { verb: 'list', group: '', resource: 'events', namespace };
}

/** Every action is a patch of the object it acts on. */
export function actionPermission(kind: 'canaries' | 'gitsyncs', namespace: string): Permission {
  return { verb: 'patch', group: GROUP, resource: kind, namespace };
}
