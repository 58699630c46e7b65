// Each metric and webhook of a Canary's analysis with its newest check of the current run (status.checks
// starts empty with every run): what `wren status --watch` shows and what CI reports of a failed run.
import type { Canary, CanaryStatusType } from '../api/canary.ts';
import { thresholdText } from '../analysis/check-verdict.ts';

export type CheckRecord = NonNullable<CanaryStatusType['checks']>[number];

export interface LatestCheck {
  name: string;
  kind: string;
  /** The accepted range from the spec; empty for webhooks. */
  threshold: string;
  latest?: CheckRecord;
}

/** One row per metric and webhook of the analysis, in spec order, with its newest check. */
export function latestChecks(canary: Canary): LatestCheck[] {
  const newestFirst = canary.status?.checks ?? [];
  const latest = (name: string) => newestFirst.find((check) => check.name === name);
  const analysis = canary.spec.analysis;
  return [
    ...(analysis.metrics ?? []).map((metric) => ({
      name: metric.name,
      kind: 'metric',
      // A comparison's threshold is the primary; its check records the rule it applied.
      threshold: metric.compareTo ? (latest(metric.name)?.threshold ?? `compared with the ${metric.compareTo}`) : thresholdText(metric),
      latest: latest(metric.name),
    })),
    ...(analysis.webhooks ?? []).map((webhook) => ({
      name: webhook.name,
      kind: `webhook (${webhook.type ?? 'rollout'})`,
      threshold: '',
      latest: latest(webhook.name),
    })),
  ];
}
