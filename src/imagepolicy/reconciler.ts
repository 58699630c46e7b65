// Reconciles one ImagePolicy: scan the registry when due (interval, request, spec change), let the
// policy pick a version, write it back (a commit to the GitSync's repository, or an override on the
// GitSync) when it is not there yet, and write status when it changed. A failing registry or push
// keeps the last choice; it is retried from 5 s, backing off up to the interval.
import { findCondition } from '../api/conditions.ts';
import { parseDuration } from '../api/duration.ts';
import type { GitSync } from '../api/git-sync.ts';
import type { ImagePolicy } from '../api/image-policy.ts';
import { IMAGE_POLICY } from '../api/kinds.ts';
import { describeProblems } from '../api/validation/field-problem.ts';
import { validateResource } from '../api/validation/validate-resource.ts';
import { errorMessage } from '../errors.ts';
import { REQUESTED_AT_ANNOTATION, requestSync } from '../gitsync/sync-request.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Reconciler } from '../kube/controller.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { Informer } from '../kube/informer.ts';
import { IMAGE_POLICIES } from '../kube/resource-types.ts';
import { writeStatusIfChanged } from '../kube/status-writer.ts';
import type { ReconcileResult } from '../kube/work-queue.ts';
import type { Logger } from '../log.ts';
import type { GitFileWriteBack } from './git-file-write-back.ts';
import { applyImageOverride, holdsOverride, imageOverrideEntry } from './override-write-back.ts';
import { describeVersion, policyStatus, type ImagePolicyStatus, type PolicyReport } from './policy-status.ts';
import type { RegistryAccess } from './registry-access.ts';
import type { RegistryScanner } from './registry-scan.ts';
import { decideScan, failingSince, scanDelayMs } from './scan-decision.ts';
import { needsWriteBack, type ImageVersion } from './write-back-decision.ts';
import { pinsDigest } from './pins-digest.ts';

const DEFAULT_INTERVAL_MS = 2 * 60_000;

export interface ImagePolicyDependencies {
  client: KubeClient;
  events: EventRecorder;
  log: Logger;
  policies: Informer<ImagePolicy>;
  gitSyncs: Informer<GitSync>;
  registries: RegistryAccess;
  scanner: RegistryScanner;
  gitWriteBack: GitFileWriteBack;
}

export class ImagePolicyReconciler implements Reconciler {
  readonly kind = 'ImagePolicy';
  private readonly deps: ImagePolicyDependencies;
  private readonly scanned = new Map<string, { generation: number | undefined; at: number }>();

  constructor(deps: ImagePolicyDependencies) {
    this.deps = deps;
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const policy = this.deps.policies.get(key);
    if (!policy || policy.metadata?.deletionTimestamp) {
      this.scanned.delete(key);
      this.deps.registries.forget(key);
      return;
    }
    const now = new Date();
    const problems = validateResource(IMAGE_POLICY, policy, { defaultProvider: '' });
    if (problems.length > 0) return void (await this.halt(policy, { reason: 'InvalidSpec', message: describeProblems(problems) }, now));
    if (policy.spec.suspend)
      return void (await this.halt(policy, { reason: 'Suspended', message: 'spec.suspend is true: not scanning' }, now));
    const intervalMs = parseDuration(policy.spec.interval ?? '') ?? DEFAULT_INTERVAL_MS;
    const requestedAt = policy.metadata?.annotations?.[REQUESTED_AT_ANNOTATION];
    const decision = decideScan({
      now: now.getTime(),
      intervalMs,
      generation: policy.metadata?.generation,
      requestedAt,
      lastHandledRequestedAt: policy.status?.lastHandledRequestedAt,
      scanned: this.scanned.get(key),
      failingSince: failingSince(policy.status?.conditions),
    });
    if (decision.kind === 'wait') return { requeueAfterMs: decision.retryInMs };
    this.scanned.set(key, { generation: policy.metadata?.generation, at: now.getTime() });
    const report: PolicyReport = { now, ...(decision.requested ? { requestedAt } : {}) };
    try {
      report.scan = await this.deps.scanner.scan(policy, await this.deps.registries.readerFor(policy));
    } catch (error) {
      report.scanError = errorMessage(error);
      this.deps.log.warn({ imagepolicy: key, err: report.scanError }, 'registry scan failed');
    }
    const latest = report.scan?.latest;
    if (latest && this.writeBackDue(policy, latest)) await this.writeBack(policy, latest, report);
    const status = policyStatus(policy, report);
    await this.writeStatus(policy, status);
    return { requeueAfterMs: scanDelayMs(intervalMs, now.getTime(), failingSince(status.conditions)) };
  }

  private writeBackDue(policy: ImagePolicy, latest: ImageVersion): boolean {
    return needsWriteBack({
      latest,
      chosen: policy.status?.chosen,
      digestMatters: pinsDigest(policy),
      generation: policy.metadata?.generation,
      observedGeneration: policy.status?.observedGeneration,
      conditions: policy.status?.conditions,
    });
  }

  private async writeBack(policy: ImagePolicy, latest: ImageVersion, report: PolicyReport): Promise<void> {
    const namespace = policy.metadata?.namespace ?? 'default';
    const sync = this.deps.gitSyncs.get(`${namespace}/${policy.spec.gitSyncRef.name}`);
    if (!sync) {
      report.writeBackProblem = {
        reason: 'GitSyncNotFound',
        message: `GitSync ${namespace}/${policy.spec.gitSyncRef.name} named by spec.gitSyncRef does not exist`,
      };
      return;
    }
    const previous = policy.status?.chosen;
    try {
      if (policy.spec.writeBack?.method === 'override') {
        const entry = imageOverrideEntry(policy, latest, pinsDigest(policy));
        if (!holdsOverride(sync, entry)) {
          await applyImageOverride(this.deps.client, policy, sync, entry);
          await this.updated(
            policy,
            `${policy.spec.image}: ${describeVersion(previous)} → ${describeVersion(latest)}, set in GitSync ${sync.metadata?.name} spec.images`,
          );
        }
        report.written = { version: latest, files: [] };
        return;
      }
      const result = await this.deps.gitWriteBack.write(policy, sync, latest, previous);
      if (result.targets === 0) {
        report.writeBackProblem = { reason: 'NoWriteBackTarget', message: result.noTargetMessage };
        return;
      }
      report.written = { version: latest, ...(result.commit ? { commit: result.commit } : {}), branch: result.branch, files: result.files };
      if (result.commit) {
        await this.updated(
          policy,
          `${policy.spec.image}: ${describeVersion(previous)} → ${describeVersion(latest)}, commit ${result.commit.slice(0, 12)} on ${result.branch} (${result.files.join(', ')})`,
        );
        // The GitSync applies the commit now rather than at its next interval.
        if (result.branch === result.syncedBranch) await requestSync(this.deps.client, namespace, sync.metadata?.name ?? '');
      }
    } catch (error) {
      report.writeBackProblem = { reason: 'WriteBackFailed', message: errorMessage(error) };
      this.deps.log.warn(
        { imagepolicy: `${namespace}/${policy.metadata?.name}`, err: report.writeBackProblem.message },
        'write-back failed',
      );
    }
  }

  private async updated(policy: ImagePolicy, message: string): Promise<void> {
    this.deps.log.info({ imagepolicy: `${policy.metadata?.namespace}/${policy.metadata?.name}` }, message);
    await this.deps.events.record(policy, 'Normal', 'ImageUpdated', message);
  }

  private halt(policy: ImagePolicy, halted: NonNullable<PolicyReport['halted']>, now: Date): Promise<void> {
    return this.writeStatus(policy, policyStatus(policy, { now, halted }));
  }

  /** Writes status when it changed; a changed Ready=False verdict also becomes a Warning event. */
  private async writeStatus(policy: ImagePolicy, status: ImagePolicyStatus): Promise<void> {
    const before = findCondition(policy.status?.conditions, 'Ready');
    if (!(await writeStatusIfChanged(this.deps.client, IMAGE_POLICIES, policy, status))) return;
    const after = findCondition(status.conditions, 'Ready');
    if (after?.status === 'False' && (before?.message !== after.message || before?.reason !== after.reason)) {
      await this.deps.events.record(
        policy,
        after.reason === 'Suspended' ? 'Normal' : 'Warning',
        after.reason,
        after.message ?? after.reason,
      );
    }
  }
}
