// Carries out one sync of a desired set: classify every object against the cluster, ask the apply
// plan (apply-plan.ts) what to do, dry-run everything that would be sent (all or nothing: one
// refusal and nothing is applied), apply in the plan's order, then prune what it names. Only
// objects that differ are sent, so a resync of an unchanged repository costs no write.
import { KubeApiError } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/client.ts';
import type { ApiResources } from '../kube/discovery.ts';
import type { KubeObject } from '../kube/objects.ts';
import { CUSTOM_RESOURCE_DEFINITIONS, NAMESPACES, type ResourceType } from '../kube/resource-types.ts';
import { errorMessage } from '../errors.ts';
import { canDryRunNow, inventoryAfterFailure, planApply } from './apply-plan.ts';
import { isControlledByCanary } from './canary-owned.ts';
import type { DesiredObject } from './desired-objects.ts';
import type { Classified, DriftChecker } from './drift-check.ts';
import type { HealBackoff } from './heal-backoff.ts';
import type { LiveObjects } from './live-objects.ts';
import { describeRef, refKey, type ObjectRef } from './object-key.ts';
import { mapLimit } from './parallel.ts';
import { SyncError } from './sync-error.ts';
import { trackedBy } from './tracking.ts';

const CONCURRENCY = 32;

export interface SyncOptions {
  /** Makes every write (dry-runs, applies, namespace creation, prune): the GitSync's identity. */
  writer: KubeClient;
  /** False for inventory objects the GitSync may not touch any more: prune leaves them alone. */
  inScope: (ref: ObjectRef) => boolean;
  tracking: string;
  inventory: ObjectRef[];
  prune: boolean;
  allowEmpty: boolean;
  selfHeal: boolean;
  /** A namespace to create when it is missing (spec.createNamespace). */
  createNamespace?: string;
  now: number;
}

export interface SyncOutcome {
  created: string[];
  updated: string[];
  healed: string[];
  /** Drift left in place: selfHeal is off, or a correction is backing off. */
  drifted: string[];
  deleted: string[];
  unchanged: number;
  inventory: ObjectRef[];
  /** Milliseconds until a backed-off correction may run. */
  retryHealInMs?: number;
  /** Set when applying failed part way: the inventory then also keeps what was applied. */
  error?: SyncError;
}

const apiMessage = (error: unknown) => (error instanceof KubeApiError ? (error.status?.message ?? error.message) : errorMessage(error));

export class ObjectApplier {
  private readonly client: KubeClient;
  private readonly resources: ApiResources;
  private readonly live: LiveObjects;
  private readonly drift: DriftChecker;
  private readonly backoff: HealBackoff;

  constructor(client: KubeClient, resources: ApiResources, live: LiveObjects, drift: DriftChecker, backoff: HealBackoff) {
    this.client = client;
    this.resources = resources;
    this.live = live;
    this.drift = drift;
    this.backoff = backoff;
  }

  async sync(desired: DesiredObject[], options: SyncOptions): Promise<SyncOutcome> {
    const classified = await mapLimit(desired, CONCURRENCY, async (object) =>
      this.drift.classify(
        object,
        object.type ? await this.live.get(object.type, object.ref.namespace, object.ref.name) : undefined,
        options.tracking,
        options.writer,
      ),
    );
    const decision = planApply({
      classified,
      healWaitMs: new Map(
        classified
          .filter((item) => item.verdict === 'drifted')
          .map((item) => [item.desired.key, this.backoff.waitFor(item.desired.key, options.now)]),
      ),
      selfHeal: options.selfHeal,
      prune: options.prune,
      allowEmpty: options.allowEmpty,
      inventory: options.inventory,
      outOfScope: new Set(options.inventory.filter((ref) => !options.inScope(ref)).map(refKey)),
      ...(options.createNamespace ? { createNamespace: options.createNamespace } : {}),
    });
    if (decision.kind === 'refuse') throw decision.error;
    const plan = decision;
    const outcome: SyncOutcome = {
      created: [],
      updated: [],
      healed: [],
      drifted: plan.drifted,
      deleted: [],
      unchanged: plan.unchanged,
      inventory: [],
      ...(plan.retryHealInMs !== undefined ? { retryHealInMs: plan.retryHealInMs } : {}),
    };

    const missingNamespaces = await this.missingNamespaces(plan.namespaces);
    await this.dryRun(
      plan.send.filter((item) => canDryRunNow(item.desired, missingNamespaces)),
      options.writer,
    );
    if (options.createNamespace && missingNamespaces.has(options.createNamespace))
      await this.createNamespace(options.createNamespace, options.writer);

    const applied = new Set<string>();
    try {
      for (const phase of plan.phases) {
        await mapLimit(phase.objects, CONCURRENCY, async (item) => {
          await this.applyOne(item, options.writer);
          applied.add(item.desired.key);
          const name = describeRef(item.desired.ref);
          if (item.verdict === 'create') outcome.created.push(name);
          else if (item.verdict === 'update') outcome.updated.push(name);
          else {
            outcome.healed.push(name);
            this.backoff.record(item.desired.key, options.now);
          }
        });
        if (phase.crdsToAwait.length > 0) await this.awaitNewKinds(phase.crdsToAwait, desired);
      }
    } catch (error) {
      const failure = error instanceof SyncError ? error : new SyncError('apply', errorMessage(error));
      return { ...outcome, inventory: inventoryAfterFailure(options.inventory, classified, applied), error: failure };
    }

    outcome.deleted = await this.prune(plan.prune, options);
    outcome.inventory = plan.inventory;
    return outcome;
  }

  private async applyOne(item: Classified, writer: KubeClient): Promise<void> {
    const { desired } = item;
    const type = desired.type ?? (await this.resources.resourceFor(desired.ref.apiVersion, desired.ref.kind));
    if (!type)
      throw new SyncError('apply', `kind ${desired.ref.kind} is still not served after its CRD was applied`, {
        file: desired.source,
        object: describeRef(desired.ref),
      });
    try {
      await writer.apply(type, desired.applied);
    } catch (error) {
      throw new SyncError('apply', apiMessage(error), { file: desired.source, object: describeRef(desired.ref) });
    }
  }

  /** Every object that will be sent, sent first as a dry-run; any refusal stops the sync before a write. */
  private async dryRun(checkable: Classified[], writer: KubeClient): Promise<void> {
    const failures: SyncError[] = [];
    await mapLimit(checkable, CONCURRENCY, async ({ desired }) => {
      if (!desired.type) return; // canDryRunNow left unserved kinds out; this tells the compiler
      try {
        await writer.apply(desired.type, desired.applied, { dryRun: true });
      } catch (error) {
        failures.push(new SyncError('dry-run', apiMessage(error), { file: desired.source, object: describeRef(desired.ref) }));
      }
    });
    if (failures.length === 0) return;
    const [first] = failures as [SyncError];
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more objects refused)` : '';
    throw new SyncError('dry-run', `${first.detail}${more}`, {
      ...(first.file ? { file: first.file } : {}),
      ...(first.object ? { object: first.object } : {}),
    });
  }

  private async missingNamespaces(namespaces: string[]): Promise<Set<string>> {
    const missing = new Set<string>();
    for (const namespace of namespaces) if (!(await this.live.get(NAMESPACES, undefined, namespace))) missing.add(namespace);
    return missing;
  }

  private async createNamespace(name: string, writer: KubeClient): Promise<void> {
    try {
      await writer.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (error) {
      if (!(error instanceof KubeApiError && error.statusCode === 409))
        throw new SyncError('apply', `cannot create namespace ${name}: ${apiMessage(error)}`);
    }
  }

  /** After CRDs are applied, wait until the API server serves their kinds (Established). */
  private async awaitNewKinds(crds: DesiredObject[], desired: DesiredObject[]): Promise<void> {
    for (const crd of crds) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const live = await this.client.get<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>(
          CUSTOM_RESOURCE_DEFINITIONS,
          undefined,
          crd.ref.name,
        );
        if (live.status?.conditions?.some((condition) => condition.type === 'Established' && condition.status === 'True')) break;
        if (Date.now() > deadline)
          throw new SyncError('apply', 'CRD not established within 30s', { file: crd.source, object: describeRef(crd.ref) });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    for (const object of desired.filter((item) => !item.type)) {
      object.type = await this.resources.resourceFor(object.ref.apiVersion, object.ref.kind);
    }
  }

  /** Deletes what the plan prunes, phase by phase, but only objects this GitSync marked and no Canary controls. */
  private async prune(phases: ObjectRef[][], options: SyncOptions): Promise<string[]> {
    const deleted: string[] = [];
    for (const phase of phases) {
      await mapLimit(phase, CONCURRENCY, async (ref) => {
        const type: ResourceType | undefined = await this.resources.resourceFor(ref.apiVersion, ref.kind);
        if (!type) return;
        const live = await this.live.get(type, ref.namespace, ref.name);
        if (!live || trackedBy(live) !== options.tracking || isControlledByCanary(live)) return;
        try {
          await options.writer.delete(type, ref.namespace, ref.name);
          deleted.push(describeRef(ref));
        } catch (error) {
          if (!(error instanceof KubeApiError && error.statusCode === 404))
            throw new SyncError('prune', apiMessage(error), { object: describeRef(ref) });
        }
      });
    }
    return deleted;
  }
}
