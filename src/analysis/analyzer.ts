// Judges a canary step with its rollout webhooks and metric checks, and answers gate questions with
// the confirm-* webhooks. Metric providers plug in through MetricChecker.
import type { Canary } from '../api/canary.ts';
import type { Analyzer, CheckResult, Gate, StepContext, Verdict } from '../canary/analysis-seam.ts';
import { callWebhook, type WebhookPayload, type WebhookSpec } from './webhook-call.ts';

export interface MetricChecker {
  check(canary: Canary, metric: NonNullable<Canary['spec']['analysis']['metrics']>[number], step: StepContext): Promise<CheckResult>;
}

/** Until a metric provider is configured, a metric can never pass: no data is never a pass. */
export const noMetricProvider: MetricChecker = {
  async check(_canary, metric) {
    return {
      name: metric.name,
      kind: 'metric',
      passed: false,
      reason: 'NoProvider',
      message: `no metric provider can evaluate "${metric.name}" in this build`,
    };
  },
};

const hooksOf = (canary: Canary, type: string): WebhookSpec[] =>
  (canary.spec.analysis.webhooks ?? []).filter((hook) => (hook.type || 'rollout') === type);

function payload(canary: Canary, step: StepContext): WebhookPayload {
  return {
    name: canary.metadata?.name ?? '',
    namespace: canary.metadata?.namespace ?? '',
    phase: step.phase,
    checksum: step.revision,
  };
}

export class CanaryAnalyzer implements Analyzer {
  private readonly metrics: MetricChecker;

  constructor(metrics: MetricChecker = noMetricProvider) {
    this.metrics = metrics;
  }

  async analyze(canary: Canary, step: StepContext): Promise<Verdict> {
    const hooks = hooksOf(canary, 'rollout');
    const [hookChecks, metricChecks] = await Promise.all([
      Promise.all(
        hooks.map(async (hook): Promise<CheckResult> => {
          const result = await callWebhook(hook, payload(canary, step));
          return { name: hook.name, kind: 'webhook', passed: result.ok, message: result.message };
        }),
      ),
      Promise.all((canary.spec.analysis.metrics ?? []).map((metric) => this.metrics.check(canary, metric, step))),
    ]);
    const checks = [...hookChecks, ...metricChecks];
    return { passed: checks.every((check) => check.passed), checks };
  }

  async gateOpen(canary: Canary, gate: Gate, step: StepContext): Promise<boolean> {
    const results = await Promise.all(hooksOf(canary, gate).map((hook) => callWebhook(hook, payload(canary, step))));
    return results.every((result) => result.ok);
  }
}
