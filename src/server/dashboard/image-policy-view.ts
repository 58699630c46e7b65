// What the dashboard shows of an ImagePolicy: one row of the list and the detail page (what the
// registry offers, what was chosen and written back, which tags are quarantined).
import type { ImagePolicy } from '../../api/image-policy.ts';

type Status = NonNullable<ImagePolicy['status']>;

export interface ImagePolicyRow {
  namespace: string;
  name: string;
  image: string;
  latest: string;
  chosen: string;
  quarantined: number;
  ready: string;
  message: string;
}

export interface ImagePolicyDetail extends ImagePolicyRow {
  tagsSeen?: number;
  skippedTags: string[];
  lastWriteBack?: Status['lastWriteBack'];
  quarantines: NonNullable<Status['quarantined']>;
  conditions: NonNullable<Status['conditions']>;
}

const tagOf = (image: { tag: string; digest?: string } | undefined) => (image ? image.tag : '');

export function imagePolicyRow(policy: ImagePolicy): ImagePolicyRow {
  const ready = policy.status?.conditions?.find((condition) => condition.type === 'Ready');
  return {
    namespace: policy.metadata?.namespace ?? '',
    name: policy.metadata?.name ?? '',
    image: policy.spec?.image ?? '',
    latest: tagOf(policy.status?.latest),
    chosen: tagOf(policy.status?.chosen),
    quarantined: (policy.status?.quarantined ?? []).filter((entry) => !entry.liftedAt).length,
    ready: ready?.status ?? 'Unknown',
    message: ready?.message ?? '',
  };
}

export function imagePolicyDetail(policy: ImagePolicy): ImagePolicyDetail {
  return {
    ...imagePolicyRow(policy),
    ...(policy.status?.tagsSeen !== undefined ? { tagsSeen: policy.status.tagsSeen } : {}),
    skippedTags: policy.status?.skippedTags ?? [],
    ...(policy.status?.lastWriteBack ? { lastWriteBack: policy.status.lastWriteBack } : {}),
    quarantines: policy.status?.quarantined ?? [],
    conditions: policy.status?.conditions ?? [],
  };
}
