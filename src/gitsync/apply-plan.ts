// What one sync will do with its classified objects, decided before anything is sent: refuse an
// empty revision that would prune everything, which objects to send and in which phases, which
// drift to leave in place (self-heal off or backing off) and when to look again, and which
// inventory objects to prune. Pure: the applier reads the cluster, calls this, and carries it out.
import { applyPhases } from './apply-order.ts';
import type { DesiredObject } from './desired-objects.ts';
import type { Classified } from './drift-check.ts';
import { describeRef, refKey, type ObjectRef } from './object-key.ts';
import { SyncError } from './sync-error.ts';

export interface ApplyFacts {
  /** Every desired object of the revision with its verdict, in render order. */
  classified: Classified[];
  /** Milliseconds until a drifted object (by key) may be corrected again; absent: it may be now. */
  healWaitMs: ReadonlyMap<string, number>;
  selfHeal: boolean;
  prune: boolean;
  allowEmpty: boolean;
  /** What the GitSync applied before (status.inventory). */
  inventory: ObjectRef[];
  /** Keys of inventory objects the GitSync may no longer touch: prune leaves them alone. */
  outOfScope: ReadonlySet<string>;
  /** spec.createNamespace, if set. */
  createNamespace?: string;
}

export interface ApplyPhase {
  objects: Classified[];
  /** CRDs in this phase: the API server must serve their kinds before the next phase is applied. */
  crdsToAwait: DesiredObject[];
}

export interface ApplyPlan {
  /** Everything that will be sent, in render order: all dry-run before the first write. */
  send: Classified[];
  /** The same objects in the order they are applied, one phase after another. */
  phases: ApplyPhase[];
  /** Namespaces the objects go into (and spec.createNamespace): the ones missing are made or waited for. */
  namespaces: string[];
  /** Objects already as Git wants them, or left to a Canary. */
  unchanged: number;
  /** Drift left in place: "Kind ns/name (paths)". */
  drifted: string[];
  /** Milliseconds until the first backed-off correction may run. */
  retryHealInMs?: number;
  /** Inventory objects that left Git and are in scope, to delete phase by phase (newest kinds first). */
  prune: ObjectRef[][];
  /** The inventory once everything is applied. */
  inventory: ObjectRef[];
}

export type ApplyDecision = ({ kind: 'apply' } & ApplyPlan) | { kind: 'refuse'; error: SyncError };

const isCrd = (object: DesiredObject) => object.applied.kind === 'CustomResourceDefinition';

export function planApply(facts: ApplyFacts): ApplyDecision {
  const { classified, inventory } = facts;
  if (classified.length === 0 && inventory.length > 0 && facts.prune && !facts.allowEmpty) {
    return {
      kind: 'refuse',
      error: new SyncError(
        'prune',
        `the revision renders no objects; refusing to delete all ${inventory.length} applied objects (set spec.allowEmpty to allow it)`,
      ),
    };
  }
  const send: Classified[] = [];
  const drifted: string[] = [];
  let unchanged = 0;
  let retryHealInMs: number | undefined;
  for (const item of classified) {
    if (item.verdict === 'unchanged' || item.verdict === 'canary-owned') unchanged += 1;
    else if (item.verdict === 'drifted') {
      const wait = facts.selfHeal ? (facts.healWaitMs.get(item.desired.key) ?? 0) : Infinity;
      if (wait === 0) send.push(item);
      else {
        drifted.push(`${describeRef(item.desired.ref)} (${(item.paths ?? []).join(', ')})`);
        if (Number.isFinite(wait)) retryHealInMs = Math.min(retryHealInMs ?? wait, wait);
      }
    } else send.push(item);
  }
  const phases = applyPhases(send, (item) => item.desired.applied).map((objects) => ({
    objects,
    crdsToAwait: objects.map((item) => item.desired).filter(isCrd),
  }));
  const namespaces = new Set(
    classified.map((item) => item.desired.ref.namespace).filter((namespace): namespace is string => Boolean(namespace)),
  );
  if (facts.createNamespace) namespaces.add(facts.createNamespace);
  return {
    kind: 'apply',
    send,
    phases,
    namespaces: [...namespaces],
    unchanged,
    drifted,
    ...(retryHealInMs !== undefined ? { retryHealInMs } : {}),
    prune: facts.prune ? pruneOrder(classified, facts) : [],
    inventory: classified.map((item) => item.desired.ref),
  };
}

function pruneOrder(classified: Classified[], facts: ApplyFacts): ObjectRef[][] {
  const wanted = new Set(classified.map((item) => item.desired.key));
  const gone = facts.inventory.filter((ref) => !wanted.has(refKey(ref)) && !facts.outOfScope.has(refKey(ref)));
  // Sync waves are not known for objects that left Git: only kinds order them.
  return applyPhases(gone, (ref) => ({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name } })).reverse();
}

/** A kind whose CRD, or an object whose namespace, this same sync creates cannot be dry-run yet. */
export function canDryRunNow(object: DesiredObject, missingNamespaces: ReadonlySet<string>): boolean {
  return object.type !== undefined && !(object.ref.namespace && missingNamespaces.has(object.ref.namespace));
}

/** The inventory after applying failed part way: what it was, plus what was applied before the failure. */
export function inventoryAfterFailure(inventory: ObjectRef[], classified: Classified[], appliedKeys: ReadonlySet<string>): ObjectRef[] {
  const kept = new Map(inventory.map((ref) => [refKey(ref), ref]));
  for (const { desired } of classified) if (appliedKeys.has(desired.key)) kept.set(desired.key, desired.ref);
  return [...kept.values()];
}
