// Judges a canary step with its rollout webhooks and metric checks, answers gate questions with the
// confirm-* webhooks, and calls the lifecycle hooks (pre-rollout, rollback, post-rollout, event).
import type { Canary } from '../api/canary.ts';
import { hooksOfType, type Analyzer, type CheckResult, type Gate, type StepContext, type Verdict } from '../canary/analysis-seam.ts';
import { errorMessage } from '../errors.ts';
import type { Logger } from '../log.ts';
import { stepVerdict } from './step-verdict.ts';
import { callWebhook, type WebhookPayload, type WebhookResult, type WebhookSpec } from './webhook-call.ts';
import { noWebhookTokens, type WebhookTokens } from './webhook-token.ts';

type Metric = NonNullable<Canary['spec']['analysis']['metrics']>[number];

export interface MetricChecker {
  check(canary: Canary, metric: Metric, step: StepContext): Promise<CheckResult>;
  /** Why the metric's provider cannot be reached, or undefined when it answers. */
  offline(canary: Canary, metric: Metric): Promise<string | undefined>;
}

/** Without a metric provider, a metric can never pass: no data is never a pass. */
export const noMetricProvider: MetricChecker = {
  async check(_canary, metric) {
    return {
      name: metric.name,
      kind: 'metric',
      passed: false,
      reason: 'NoProvider',
      message: `no metric provider can evaluate "${metric.name}"`,
    };
  },
  async offline(_canary, metric) {
    return `no metric provider can evaluate "${metric.name}"`;
  },
};

function payload(canary: Canary, step: StepContext): WebhookPayload {
  return { name: canary.metadata?.name ?? '', namespace: canary.metadata?.namespace ?? '', phase: step.phase, checksum: step.revision };
}

export class CanaryAnalyzer implements Analyzer {
  private readonly metrics: MetricChecker;
  private readonly log: Logger | undefined;
  private readonly tokens: WebhookTokens;

  constructor(metrics: MetricChecker = noMetricProvider, log?: Logger, tokens: WebhookTokens = noWebhookTokens) {
    this.metrics = metrics;
    this.log = log;
    this.tokens = tokens;
  }

  /** Calls a hook with its token; a token that cannot be read fails the call, saying why. */
  private async call(canary: Canary, hook: WebhookSpec, step: StepContext, metadata: Record<string, string> = {}): Promise<WebhookResult> {
    let token: string | undefined;
    try {
      token = await this.tokens.tokenFor(canary, hook);
    } catch (error) {
      return { ok: false, message: errorMessage(error), attempts: 0 };
    }
    return callWebhook(hook, payload(canary, step), { metadata, ...(token ? { token } : {}) });
  }

  private async hookChecks(canary: Canary, type: string, step: StepContext): Promise<CheckResult[]> {
    return Promise.all(
      hooksOfType(canary, type).map(async (hook): Promise<CheckResult> => {
        const result = await this.call(canary, hook, step);
        return { name: hook.name, kind: 'webhook', passed: result.ok, message: result.message };
      }),
    );
  }

  async analyze(canary: Canary, step: StepContext): Promise<Verdict> {
    const [hooks, metrics] = await Promise.all([
      this.hookChecks(canary, 'rollout', step),
      Promise.all((canary.spec.analysis.metrics ?? []).map((metric) => this.metrics.check(canary, metric, step))),
    ]);
    return stepVerdict([...hooks, ...metrics]);
  }

  async gateOpen(canary: Canary, gate: Gate, step: StepContext): Promise<boolean> {
    const results = await Promise.all(hooksOfType(canary, gate).map((hook) => this.call(canary, hook, step)));
    return results.every((result) => result.ok);
  }

  async preRollout(canary: Canary, step: StepContext): Promise<Verdict> {
    return stepVerdict(await this.hookChecks(canary, 'pre-rollout', step));
  }

  async rollbackRequested(canary: Canary, step: StepContext): Promise<boolean> {
    const results = await Promise.all(hooksOfType(canary, 'rollback').map((hook) => this.call(canary, { ...hook, retries: 0 }, step)));
    return results.some((result) => result.ok);
  }

  async metricsOffline(canary: Canary): Promise<string | undefined> {
    const problems = await Promise.all((canary.spec.analysis.metrics ?? []).map((metric) => this.metrics.offline(canary, metric)));
    return problems.find((problem) => problem !== undefined);
  }

  notify(canary: Canary, type: 'post-rollout' | 'event', step: StepContext, metadata: Record<string, string> = {}): void {
    for (const hook of hooksOfType(canary, type)) {
      void this.call(canary, hook, step, metadata).then((result) => {
        if (!result.ok)
          this.log?.warn(
            { canary: `${canary.metadata?.namespace}/${canary.metadata?.name}`, hook: hook.name, type, result: result.message },
            'webhook failed',
          );
      });
    }
  }
}
