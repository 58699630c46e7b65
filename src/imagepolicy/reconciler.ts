// Reconciles one ImagePolicy: quarantine the tags whose canary failed (and lift those a request
// names), scan the registry when due (interval, request, spec change, quarantine change), let the
// policy pick a version among the tags not quarantined, write it back (a commit to the GitSync's
// repository, or an override on the GitSync) when it is not there yet, and write status when it
// changed. A failing registry or push keeps the last choice; it is retried from 5 s, backing off up
// to the interval.
import type { Canary } from '../api/canary.ts';
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
import { nextQuarantine, quarantineChanged, quarantinedTags, type QuarantineOutcome } from './quarantine.ts';
import { canariesReleasedFor } from './quarantine-watch.ts';
import { UNQUARANTINE_ANNOTATION } from './unquarantine-request.ts';
import type { ImagePolicyMetrics } from './image-policy-metrics.ts';
import { measurePolicy } from './policy-measurement.ts';

const DEFAULT_INTERVAL_MS = 2 * 60_000;

export interface ImagePolicyDependencies {
  client: KubeClient;
  events: EventRecorder;
  log: Logger;
  policies: Informer<ImagePolicy>;
  gitSyncs: Informer<GitSync>;
  /** Read for quarantine: the Canaries the policy's GitSync released. */
  canaries: Informer<Canary>;
  registries: RegistryAccess;
  scanner: RegistryScanner;
  gitWriteBack: GitFileWriteBack;
  metrics: ImagePolicyMetrics;
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
    const quarantine = nextQuarantine({
      namespace: policy.metadata?.namespace ?? 'default',
      gitSync: policy.spec.gitSyncRef.name,
      image: policy.spec.image,
      quarantined: policy.status?.quarantined,
      canaries: canariesReleasedFor(this.deps.canaries, policy),
      unquarantine: policy.metadata?.annotations?.[UNQUARANTINE_ANNOTATION],
      lastHandledUnquarantine: policy.status?.lastHandledUnquarantine,
      now,
    });
    await this.reportQuarantine(policy, quarantine);
    if (policy.spec.suspend)
      return void (await this.halt(policy, { reason: 'Suspended', message: 'spec.suspend is true: not scanning' }, now, quarantine));
    const intervalMs = parseDuration(policy.spec.interval ?? '') ?? DEFAULT_INTERVAL_MS;
    const requestedAt = policy.metadata?.annotations?.[REQUESTED_AT_ANNOTATION];
    const decision = decideScan({
      now: now.getTime(),
      intervalMs,
      generation: policy.metadata?.generation,
      requestedAt,
      lastHandledRequestedAt: policy.status?.lastHandledRequestedAt,
      scanned: this.scanned.get(key),
      quarantineChanged: quarantineChanged(quarantine),
      failingSince: failingSince(policy.status?.conditions),
    });
    if (decision.kind === 'wait') return { requeueAfterMs: decision.retryInMs };
    this.scanned.set(key, { generation: policy.metadata?.generation, at: now.getTime() });
    const report: PolicyReport = { now, ...(decision.requested ? { requestedAt } : {}), quarantine: quarantineReport(quarantine) };
    try {
      const reader = await this.deps.registries.readerFor(policy);
      report.scan = await this.deps.scanner.scan(policy, reader, quarantinedTags(quarantine.quarantined));
    } catch (error) {
      report.scanError = errorMessage(error);
      this.deps.log.warn({ imagepolicy: key, err: report.scanError }, 'registry scan failed');
    }
    const latest = report.scan?.latest;
    if (latest && this.writeBackDue(policy, latest)) await this.writeBack(policy, latest, report);
    this.deps.metrics.reconciled(policy.metadata?.namespace ?? '', policy.metadata?.name ?? '', measurePolicy(report));
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
        const overrideSet = !holdsOverride(sync, entry);
        if (overrideSet) {
          await applyImageOverride(this.deps.client, policy, sync, entry);
          await this.updated(
            policy,
            `${policy.spec.image}: ${describeVersion(previous)} → ${describeVersion(latest)}, set in GitSync ${sync.metadata?.name} spec.images`,
          );
        }
        report.written = { version: latest, files: [], ...(overrideSet ? { overrideSet } : {}) };
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

  private halt(policy: ImagePolicy, halted: NonNullable<PolicyReport['halted']>, now: Date, quarantine?: QuarantineOutcome): Promise<void> {
    return this.writeStatus(
      policy,
      policyStatus(policy, { now, halted, ...(quarantine ? { quarantine: quarantineReport(quarantine) } : {}) }),
    );
  }

  /**
   * One Event per newly quarantined tag and per handled unquarantine request, before the write-back
   * they cause, so that events read in the order things happened.
   */
  private async reportQuarantine(policy: ImagePolicy, outcome: QuarantineOutcome): Promise<void> {
    const name = policy.metadata?.name ?? '';
    for (const entry of outcome.added) {
      const message =
        `${policy.spec.image}:${entry.tag} quarantined: canary ${entry.canary} failed` +
        `${entry.revision ? ` at revision ${entry.revision.slice(0, 12)}` : ''} (${entry.reason}); ` +
        `not chosen again until \`wren image unquarantine ${name} ${entry.tag}\``;
      this.deps.log.warn({ imagepolicy: keyOfPolicy(policy), tag: entry.tag, canary: entry.canary }, 'tag quarantined');
      await this.deps.events.record(policy, 'Warning', 'Quarantined', message);
    }
    const request = outcome.unquarantine;
    if (!request) return;
    if (request.problem) {
      await this.deps.events.record(policy, 'Warning', 'NotQuarantined', `${UNQUARANTINE_ANNOTATION}: ${request.problem}`);
      return;
    }
    const canaries = [...new Set(request.lifted.map((entry) => entry.canary))].join(', ');
    await this.deps.events.record(
      policy,
      'Normal',
      'Unquarantined',
      `${policy.spec.image}:${request.tag} lifted from quarantine (failed in canary ${canaries}); the policy may choose it again`,
    );
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

const keyOfPolicy = (policy: ImagePolicy) => `${policy.metadata?.namespace}/${policy.metadata?.name}`;

function quarantineReport(outcome: QuarantineOutcome): NonNullable<PolicyReport['quarantine']> {
  return {
    quarantined: outcome.quarantined,
    ...(outcome.unquarantine ? { handledUnquarantine: outcome.unquarantine.request } : {}),
  };
}
