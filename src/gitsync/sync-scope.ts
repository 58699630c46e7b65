// Who a GitSync acts as, and where it may act: the tenancy rule, as a pure decision.
//   - spec.serviceAccountName (or the operator's --default-service-account): every write is made as
//     that ServiceAccount of the GitSync's own namespace, so the API server's RBAC decides;
//   - otherwise it writes with the operator's own rights, and only in its own namespace, unless it
//     lives in the operator's namespace and the operator allows cluster-wide GitSyncs.
import type { GitSync } from '../api/git-sync.ts';
import type { ObjectRef } from './object-key.ts';

export interface ScopeSettings {
  /** The namespace whose GitSyncs may act cluster-wide with the operator's rights (--cluster-wide-gitsyncs). */
  clusterWideNamespace?: string;
  /** ServiceAccount that GitSyncs naming none act as (--default-service-account). */
  defaultServiceAccount?: string;
}

export interface SyncScope {
  /** The user every write is made as, e.g. system:serviceaccount:team-a:deployer; undefined: the operator. */
  actAs?: string;
  /** The only namespace the GitSync may touch; undefined: wherever its identity may. */
  confinedTo?: string;
  /** Whether it may read the operator's own files (file:// URLs): only GitSyncs with the operator's full trust. */
  mayReadLocalFiles: boolean;
}

export const serviceAccountUser = (namespace: string, name: string) => `system:serviceaccount:${namespace}:${name}`;

export function syncScope(sync: GitSync, settings: ScopeSettings): SyncScope {
  const namespace = sync.metadata?.namespace ?? 'default';
  const serviceAccount = sync.spec.serviceAccountName ?? settings.defaultServiceAccount;
  if (serviceAccount) return { actAs: serviceAccountUser(namespace, serviceAccount), mayReadLocalFiles: false };
  if (settings.clusterWideNamespace === namespace) return { mayReadLocalFiles: true };
  return { confinedTo: namespace, mayReadLocalFiles: false };
}

const FIX =
  'set spec.serviceAccountName to a ServiceAccount allowed to, or move the GitSync to the operator namespace (with --cluster-wide-gitsyncs)';

/** Why the GitSync may not touch this object, or undefined when it may (as far as Wren decides). */
export function outOfScope(ref: ObjectRef, scope: SyncScope): string | undefined {
  if (!scope.confinedTo) return undefined;
  if (ref.namespace === undefined) {
    return `${ref.kind} ${ref.name} is cluster-scoped; a GitSync without a ServiceAccount may only touch namespace ${scope.confinedTo}: ${FIX}`;
  }
  if (ref.namespace !== scope.confinedTo) {
    return `namespace ${ref.namespace} is not the GitSync's own; a GitSync without a ServiceAccount may only touch namespace ${scope.confinedTo}: ${FIX}`;
  }
  return undefined;
}

/** Spec fields the scope forbids, before anything is fetched. */
export function scopeProblems(sync: GitSync, scope: SyncScope): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!scope.mayReadLocalFiles && /^file:/i.test(sync.spec.url)) {
    problems.push({
      field: 'spec.url',
      message:
        "file:// repositories are read from the operator's own disk; only cluster-wide GitSyncs in the operator namespace may use them",
    });
  }
  const target = sync.spec.targetNamespace;
  if (scope.confinedTo && target && target !== scope.confinedTo) {
    problems.push({
      field: 'spec.targetNamespace',
      message: outOfScope({ apiVersion: 'v1', kind: 'Namespace', name: target, namespace: target }, scope) ?? '',
    });
  }
  if (scope.confinedTo && sync.spec.createNamespace) {
    problems.push({ field: 'spec.createNamespace', message: `creating namespaces is cluster-scoped: ${FIX}` });
  }
  return problems;
}
