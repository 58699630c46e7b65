// The next status of an ImagePolicy, from what one reconcile found and did. Pure: the reconciler
// writes it only when it differs from what is stored. A failing registry or write-back keeps the
// last choice and says why in the Ready condition.
import { rfc3339, setCondition } from '../api/conditions.ts';
import type { ImagePolicy } from '../api/image-policy.ts';
import type { QuarantineEntry } from './quarantine.ts';
import type { ImageVersion } from './write-back-decision.ts';

export type ImagePolicyStatus = NonNullable<ImagePolicy['status']>;

const SKIPPED_LIMIT = 10;

export interface ScanOutcome {
  tagsSeen: number;
  latest: ImageVersion | undefined;
  skipped: { tag: string; reason: string }[];
  /** One line on why the policy picked what it picked (or nothing). */
  reason: string;
}

export type WriteBackProblemReason = 'WriteBackFailed' | 'GitSyncNotFound' | 'NoWriteBackTarget';

export interface PolicyReport {
  now: Date;
  /** The request annotation this reconcile handled, if any. */
  requestedAt?: string;
  scan?: ScanOutcome;
  scanError?: string;
  /** overrideSet: the override method changed the GitSync's spec.images (it did not hold the version yet). */
  written?: { version: ImageVersion; commit?: string; branch?: string; files: string[]; overrideSet?: boolean };
  writeBackProblem?: { reason: WriteBackProblemReason; message: string };
  /** The quarantine list after this reconcile, and the unquarantine request it handled, if any. */
  quarantine?: { quarantined: QuarantineEntry[]; handledUnquarantine?: string };
  /** Nothing was scanned: the spec is invalid or suspended. */
  halted?: { reason: 'InvalidSpec' | 'Suspended'; message: string };
}

export function describeVersion(version: ImageVersion | undefined): string {
  if (!version) return 'none';
  return version.digest ? `${version.tag} (${version.digest.slice(0, 19)})` : version.tag;
}

export function policyStatus(policy: ImagePolicy, report: PolicyReport): ImagePolicyStatus {
  const previous = policy.status ?? {};
  const next: ImagePolicyStatus = { ...previous, observedGeneration: policy.metadata?.generation };
  if (report.requestedAt) next.lastHandledRequestedAt = report.requestedAt;
  if (report.quarantine) {
    next.quarantined = report.quarantine.quarantined.length > 0 ? report.quarantine.quarantined : undefined;
    if (report.quarantine.handledUnquarantine) next.lastHandledUnquarantine = report.quarantine.handledUnquarantine;
  }
  if (report.scan) {
    next.tagsSeen = report.scan.tagsSeen;
    next.latest = report.scan.latest;
    next.skippedTags =
      report.scan.skipped.length > 0
        ? report.scan.skipped.slice(0, SKIPPED_LIMIT).map(({ tag, reason }) => `${tag}: ${reason}`)
        : undefined;
  }
  if (report.written) {
    next.chosen = report.written.version;
    if (report.written.commit || !previous.lastWriteBack) {
      next.lastWriteBack = {
        ...(report.written.commit ? { commit: report.written.commit } : {}),
        ...(report.written.branch ? { branch: report.written.branch } : {}),
        files: report.written.files,
        time: rfc3339(report.now),
      };
    }
  }
  const ready = readyCondition(policy, next, report);
  next.conditions = setCondition(
    previous.conditions,
    { type: 'Ready', ...ready, observedGeneration: policy.metadata?.generation },
    report.now,
  );
  return next;
}

function readyCondition(
  policy: ImagePolicy,
  next: ImagePolicyStatus,
  report: PolicyReport,
): { status: 'True' | 'False'; reason: string; message: string } {
  if (report.halted) return { status: 'False', ...report.halted };
  const keeping = `; keeping ${describeVersion(next.chosen)}`;
  if (report.scanError) return { status: 'False', reason: 'RegistryError', message: `${report.scanError}${keeping}` };
  if (report.scan && !report.scan.latest) return { status: 'False', reason: 'NoMatchingTag', message: `${report.scan.reason}${keeping}` };
  if (report.writeBackProblem)
    return { status: 'False', reason: report.writeBackProblem.reason, message: `${report.writeBackProblem.message}${keeping}` };
  const where = next.lastWriteBack?.commit
    ? ` (commit ${next.lastWriteBack.commit.slice(0, 12)}${next.lastWriteBack.branch ? ` on ${next.lastWriteBack.branch}` : ''})`
    : '';
  return { status: 'True', reason: 'UpToDate', message: `${policy.spec.image} is at ${describeVersion(next.chosen)}${where}` };
}
