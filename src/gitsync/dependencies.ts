// Which GitSyncs of spec.dependsOn are not ready yet: pure, so the wording is table-tested.
import { findCondition } from '../api/conditions.ts';
import type { GitSync } from '../api/git-sync.ts';

/**
 * The dependencies not ready yet, each named with the field that refers to it and, when it is
 * missing altogether, saying so: "GitSync shop/base (spec.dependsOn[0]), which does not exist".
 */
export function unreadyDependencies(sync: GitSync, lookup: (key: string) => GitSync | undefined): string[] {
  const namespace = sync.metadata?.namespace ?? 'default';
  return (sync.spec.dependsOn ?? []).flatMap((ref, index) => {
    const key = `${ref.namespace ?? namespace}/${ref.name}`;
    const named = `GitSync ${key} (spec.dependsOn[${index}])`;
    const dependency = lookup(key);
    if (!dependency) return [`${named}, which does not exist`];
    const ready = findCondition(dependency.status?.conditions, 'Ready');
    return ready?.status !== 'True' || dependency.status?.observedGeneration !== dependency.metadata?.generation ? [named] : [];
  });
}
