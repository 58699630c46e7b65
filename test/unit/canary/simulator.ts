// A pure-logic harness for the decision core: a tiny model of the cluster that carries out the
// desired state the way the real controllers would (a scaled-up Deployment becomes ready when the
// test says so, a primary given a new template rolls over), and a clock the test advances.
import { stepVerdict } from '../../../src/analysis/step-verdict.ts';
import type { CanarySpecType, CanaryStatusType } from '../../../src/api/canary.ts';
import type { CheckResult, Gate, Verdict } from '../../../src/canary/analysis-seam.ts';
import { decide } from '../../../src/canary/decide.ts';
import type { EngineOutput, ManualRequest, Routes } from '../../../src/canary/engine-types.ts';
import type { ReleaseRecord } from '../../../src/canary/release-record.ts';
import type { Readiness } from '../../../src/workload/readiness.ts';

export interface World {
  targetRevision: string;
  /** What the target's annotations and images say about where its revision came from. */
  release?: ReleaseRecord;
  targetReplicas: number;
  /** Whether the target's pods become ready once it has replicas. */
  targetHealthy: boolean;
  primaryRevision: string | undefined;
  primaryReplicas: number;
  /** Whether a primary rollout to a new template can complete. */
  primaryRolloutSucceeds: boolean;
  /** Old primary pods keep serving while a failed rollout is stuck. */
  primaryServing: boolean;
  primaryReady: boolean;
  routes: Routes | undefined;
  weighted: boolean;
}

export function spec(analysis: Partial<CanarySpecType['analysis']> = {}, extra: Partial<CanarySpecType> = {}): CanarySpecType {
  return {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    service: { port: 80 },
    progressDeadlineSeconds: 60,
    ...extra,
    analysis: { interval: '10s', threshold: 2, iterations: 3, ...analysis },
  };
}

const readiness = (ready: boolean, serving: boolean, replicas: number): Readiness => ({
  ready,
  serving,
  desiredReplicas: replicas,
  availableReplicas: serving ? replicas : 0,
  deadlineExceeded: false,
  ...(ready ? {} : { waitingFor: 'pods to be ready' }),
});

export type MetricTrouble = 'unreachable' | 'query-failed' | 'no-data' | 'inconclusive';
/** request-success-rate compared with the primary and proven no worse than allowed. */
export type MetricProof = 'proven';

const troubleCheck: Record<MetricTrouble, CheckResult> = {
  unreachable: {
    name: 'request-success-rate',
    kind: 'metric',
    passed: false,
    reason: 'Unreachable',
    message: 'http://prometheus:9090: connect ECONNREFUSED',
  },
  'query-failed': { name: 'request-success-rate', kind: 'metric', passed: false, reason: 'QueryFailed', message: 'HTTP 400: bad_data' },
  'no-data': { name: 'request-success-rate', kind: 'metric', passed: false, reason: 'NoData', message: 'the query returned nothing' },
  inconclusive: {
    name: 'request-success-rate',
    kind: 'metric',
    passed: false,
    inconclusive: true,
    message: 'too few requests to compare with the primary',
  },
};

export class Simulator {
  now = new Date('2026-03-01T12:00:00Z');
  status: CanaryStatusType = {};
  spec: CanarySpecType;
  world: World;
  /**
   * Verdicts of the next analyses in order; the strings are what request-success-rate came to: a
   * metrics server that gave no answer, a query it refused, no data, or too little to judge.
   */
  verdicts: (boolean | MetricTrouble | MetricProof)[] = [];
  gates: Partial<Record<Gate, boolean>> = {};
  request: ManualRequest | undefined;
  deleting = false;
  outputs: EngineOutput[] = [];
  /** What the last decision saw of each side. */
  seen = { targetServing: false, primaryServing: false, primaryReady: false };
  analyses = 0;
  /** The controller's background checks have been started but are not in yet. */
  checksInFlight = false;

  constructor(canarySpec: CanarySpecType, world: Partial<World> = {}) {
    this.spec = canarySpec;
    this.world = {
      targetRevision: 'rev-1',
      targetReplicas: 2,
      targetHealthy: true,
      primaryRevision: undefined,
      primaryReplicas: 2,
      primaryRolloutSucceeds: true,
      primaryServing: false,
      primaryReady: false,
      routes: undefined,
      weighted: false,
      ...world,
    };
  }

  /** One reconcile: observe, decide, and let the cluster model carry out the desired state. */
  step(): EngineOutput {
    const w = this.world;
    const targetServing = w.targetHealthy && w.targetReplicas > 0;
    const pending = this.checksInFlight && this.analysisWanted();
    const verdict = this.analysisWanted() && !pending ? this.nextVerdict() : undefined;
    this.seen = { targetServing, primaryServing: w.primaryServing, primaryReady: w.primaryReady };
    const output = decide({
      spec: this.spec,
      status: this.status,
      now: this.now,
      observed: {
        target: {
          exists: true,
          readiness: readiness(targetServing || w.targetReplicas === 0, targetServing, w.targetReplicas),
          replicas: w.targetReplicas,
        },
        targetRevision: w.targetRevision,
        trackedConfigs: {},
        ...(w.release ? { release: w.release } : {}),
        primary: {
          exists: w.primaryRevision !== undefined,
          readiness: readiness(w.primaryReady, w.primaryServing, w.primaryReplicas),
          replicas: w.primaryReplicas,
          ...(w.primaryRevision ? { revision: w.primaryRevision } : {}),
        },
        routes: w.routes,
        weightedRouting: w.weighted,
        ...(this.request ? { request: this.request } : {}),
        ...(verdict ? { verdict } : {}),
        ...(pending ? { checksPending: true } : {}),
        gates: this.gates,
        deleting: this.deleting,
      },
    });
    this.outputs.push(output);
    this.status = output.status;
    this.apply(output);
    return output;
  }

  /** Mirrors the controller: it runs the analysis only when a step is due. */
  private analysisWanted(): boolean {
    const phase = this.status.phase;
    if (phase !== 'Progressing' && phase !== 'WaitingPromotion') return false;
    if ((this.status.currentStep ?? -1) < 0) return false;
    if (this.status.pausedFor !== undefined) return false;
    const from = Date.parse(this.status.lastAnalysisAt ?? this.status.stepStartedAt ?? '');
    return this.now.getTime() >= from + 10_000;
  }

  private nextVerdict(): Verdict {
    this.analyses += 1;
    const next = this.verdicts.length > 0 ? this.verdicts.shift() : true;
    if (next === 'proven') return stepVerdict([{ name: 'request-success-rate', kind: 'metric', passed: true, proven: true }]);
    if (typeof next === 'string') return stepVerdict([troubleCheck[next]]);
    const passed = next as boolean;
    const hook: CheckResult = { name: 'load-test', kind: 'webhook', passed, ...(passed ? {} : { message: 'HTTP 500' }) };
    if (!passed) return { passed, checks: [hook] };
    return { passed, checks: [hook, { name: 'request-success-rate', kind: 'metric', passed, value: 100 }] };
  }

  private apply(output: EngineOutput): void {
    const w = this.world;
    const desired = output.desired;
    if (desired.primary === 'target' && w.primaryRevision !== w.targetRevision) {
      const first = w.primaryRevision === undefined;
      w.primaryRevision = w.targetRevision;
      w.primaryReady = w.primaryRolloutSucceeds;
      w.primaryServing = w.primaryRolloutSucceeds || (!first && w.primaryServing);
    }
    const promoted = output.status.lastPromotedSpec;
    if (desired.primary === 'last-promoted' && promoted && w.primaryRevision !== promoted) {
      // Rolling back to the revision the primary's old pods still run always completes.
      w.primaryRevision = promoted;
      w.primaryReady = true;
      w.primaryServing = true;
    }
    if (desired.targetReplicas !== undefined) w.targetReplicas = desired.targetReplicas;
    w.routes = desired.routes;
  }

  advance(seconds: number): this {
    this.now = new Date(this.now.getTime() + seconds * 1000);
    return this;
  }

  /** Reconciles until the phase stops changing (each transition requeues at once). */
  settle(maxSteps = 20): EngineOutput {
    let output = this.step();
    for (let i = 0; i < maxSteps && output.requeueAfterMs === 0; i++) output = this.step();
    return output;
  }

  /** Advances the clock by the requeue delay and reconciles, `rounds` times. */
  run(rounds: number): this {
    for (let i = 0; i < rounds; i++) {
      const last = this.outputs.at(-1);
      this.advance(Math.max(1, Math.ceil((last?.requeueAfterMs ?? 10_000) / 1000)));
      this.settle();
    }
    return this;
  }

  initialize(): this {
    this.settle();
    return this;
  }

  transitions(): string[] {
    return this.outputs.flatMap((output) => (output.transition ? [`${output.transition.to}:${output.transition.reason}`] : []));
  }
}
