import { Type, type Static } from '@sinclair/typebox';
import { CanaryAnalysis } from './canary-analysis.ts';
import { CanaryService } from './canary-service.ts';
import { Condition, Described, Enum, KubernetesObject, NamespaceName, ObjectName, StringMap, Timestamp } from './schema-types.ts';

export const CANARY_PHASES = [
  'Initializing',
  'Initialized',
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
  'Succeeded',
  'Failed',
  'Terminating',
  'Terminated',
] as const;
export type CanaryPhase = (typeof CANARY_PHASES)[number];

const TargetRef = Described('The workload released as a canary', {
  apiVersion: Type.String({ description: 'API version of the target, e.g. apps/v1' }),
  kind: Enum(['Deployment', 'DaemonSet'] as const, 'Kind of the target'),
  name: ObjectName('Name of the target'),
});

const AutoscalerRef = Described('Autoscaler of the target, cloned for the primary', {
  apiVersion: Type.String({ description: 'API version, e.g. autoscaling/v2' }),
  kind: Type.String({ description: 'Kind of the autoscaler (HorizontalPodAutoscaler)' }),
  name: ObjectName('Name of the autoscaler'),
  primaryScalerQueries: Type.Optional(StringMap('Queries of the primary scaler, by trigger name')),
  primaryScalerReplicas: Type.Optional(
    Described('Replica bounds of the primary scaler', {
      minReplicas: Type.Optional(Type.Integer({ minimum: 1 })),
      maxReplicas: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
  ),
});

const ObjectRef = (description: string) =>
  Described(description, {
    apiVersion: Type.String({ description: 'API version of the object' }),
    kind: Type.String({ description: 'Kind of the object' }),
    name: ObjectName(),
    namespace: Type.Optional(NamespaceName('Namespace of the object')),
  });

export const CanarySpec = Described('Desired state of a Canary', {
  targetRef: TargetRef,
  provider: Type.Optional(Type.String({ description: "Traffic provider (default: the operator's --provider)" })),
  metricsServer: Type.Optional(Type.String({ description: 'Prometheus URL of the built-in metrics' })),
  progressDeadlineSeconds: Type.Optional(
    Type.Integer({ minimum: 1, description: 'Seconds a rollout may take before it is rolled back (default 600)' }),
  ),
  autoscalerRef: Type.Optional(AutoscalerRef),
  ingressRef: Type.Optional(ObjectRef('Ingress of the target (nginx provider)')),
  routeRef: Type.Optional(ObjectRef('Route of the target (APISIX)')),
  upstreamRef: Type.Optional(ObjectRef('Upstream of the target (Gloo)')),
  service: CanaryService,
  analysis: CanaryAnalysis,
  skipAnalysis: Type.Optional(Type.Boolean({ description: 'Promote new revisions without analysis' })),
  suspend: Type.Optional(Type.Boolean({ description: 'Freeze the canary: no analysis, no changes' })),
  revertOnDeletion: Type.Optional(Type.Boolean({ description: 'Restore the target and routes when the Canary is deleted' })),
});

export const ComparisonEvidence = Described('What a comparison with the primary measured on both sides', {
  test: Enum(['two-proportions', 'mann-whitney'] as const, 'The statistical test'),
  canaryValue: Type.Number({ description: "The canary's value (error rate %, or latency ms)" }),
  primaryValue: Type.Number({ description: "The primary's value over the same window" }),
  canarySamples: Type.Integer({ description: 'Requests (or observations) of the canary' }),
  primarySamples: Type.Integer({ description: 'Requests (or observations) of the primary' }),
  effect: Type.Number({ description: 'Canary minus primary in the unit the test judges' }),
  pValue: Type.Number({ description: 'Always-valid p-value of no difference' }),
  lowerBound: Type.Number({ description: 'Lower always-valid confidence bound of the effect' }),
  upperBound: Type.Number({ description: 'Upper always-valid confidence bound of the effect' }),
});

export const CheckRecord = Described('One recent check of a metric or webhook', {
  name: Type.String({ description: 'Metric or webhook name' }),
  kind: Enum(['metric', 'webhook'] as const, 'What was checked'),
  passed: Type.Boolean({ description: 'Whether the check passed' }),
  reason: Type.Optional(Type.String({ description: 'Why it failed, e.g. NoData or ThresholdExceeded' })),
  message: Type.Optional(Type.String({ description: 'Details' })),
  value: Type.Optional(Type.Number({ description: 'Measured value' })),
  threshold: Type.Optional(Type.String({ description: 'Accepted range or condition' })),
  query: Type.Optional(Type.String({ description: 'The query as sent' })),
  inconclusive: Type.Optional(Type.Boolean({ description: 'Neither passed nor failed: too little to judge; the step held' })),
  proven: Type.Optional(Type.Boolean({ description: 'A comparison that proved the canary no worse than allowed, with its confidence' })),
  evidence: Type.Optional(ComparisonEvidence),
  time: Timestamp('When the check ran'),
});

export const ReleaseRecord = Described('Where the current run came from: the Git revision and images that started it', {
  gitSync: Type.Optional(Type.String({ description: 'namespace/name of the GitSync that applied the target' })),
  revision: Type.Optional(Type.String({ description: 'The commit that last changed the target' })),
  images: Type.Optional(
    Type.Array(
      Described("A container's image in this run and what the primary ran when it started", {
        container: Type.String(),
        image: Type.String({ description: 'The image the canary runs' }),
        primaryImage: Type.Optional(Type.String({ description: 'The image the primary ran when the run started' })),
        imagePolicy: Type.Optional(
          Type.String({ description: "The ImagePolicy of the run's GitSync that governs this image, when the run changes it" }),
        ),
      }),
    ),
  ),
});

export const MetricCount = Described("What one metric's checks came to in the current run, for its limits", {
  name: Type.String({ description: 'Metric name' }),
  failed: Type.Integer({ description: 'Failed checks (for failureLimit)' }),
  inconclusive: Type.Integer({
    description: 'Inconclusive results since the run started or a person last continued it (for inconclusiveLimit)',
  }),
  consecutiveErrors: Type.Integer({ description: 'Errors in a row: unreachable server or failed query (for consecutiveErrorLimit)' }),
});

export const CanaryStatus = Described('Observed state of a Canary', {
  phase: Type.Optional(Enum(['', ...CANARY_PHASES] as const, 'Phase of the canary run')),
  failedChecks: Type.Optional(Type.Integer({ description: 'Failed checks of the current run' })),
  canaryWeight: Type.Optional(Type.Integer({ description: 'Traffic weight routed to the canary' })),
  iterations: Type.Optional(Type.Integer({ description: 'Steps done in the current run' })),
  trackedConfigs: Type.Optional(StringMap('Checksums of the ConfigMaps and Secrets the target uses')),
  lastAppliedSpec: Type.Optional(Type.String({ description: 'Revision of the target the run is for' })),
  lastPromotedSpec: Type.Optional(Type.String({ description: 'Revision of the target last promoted' })),
  lastTransitionTime: Type.Optional(Timestamp('When the phase last changed')),
  reason: Type.Optional(Type.String({ description: 'Why the last transition happened (CamelCase)' })),
  message: Type.Optional(Type.String({ description: 'Details of the last transition' })),
  runStartedAt: Type.Optional(Timestamp('When the current canary run started')),
  currentStep: Type.Optional(Type.Integer({ description: 'Index of the current step of the schedule (-1: not started)' })),
  stepStartedAt: Type.Optional(Timestamp('When the current step started')),
  lastAnalysisAt: Type.Optional(Timestamp('When the current step was last analysed')),
  notReadySince: Type.Optional(Timestamp('Since when the workload being rolled out has not been ready')),
  lastHandledRequest: Type.Optional(Type.String({ description: 'The last wren.dev/request annotation acted on' })),
  observedGeneration: Type.Optional(Type.Integer({ description: 'The .metadata.generation last acted on' })),
  observedTargetGeneration: Type.Optional(
    Type.Integer({ description: "The target's .metadata.generation last acted on: a later one is a change Wren has not seen yet" }),
  ),
  sessionAffinityCookie: Type.Optional(Type.String()),
  primarySessionAffinityCookie: Type.Optional(Type.String()),
  previousSessionAffinityCookie: Type.Optional(Type.String()),
  checks: Type.Optional(Type.Array(CheckRecord, { description: 'Most recent checks, newest first' })),
  metricCounts: Type.Optional(
    Type.Array(MetricCount, { description: 'Per-metric counts of the current run, in the order of spec.analysis.metrics' }),
  ),
  pausedFor: Type.Optional(
    Type.String({
      description:
        'Why the run waits for a person (InconclusiveLimitExceeded, NoData): `wren promote` continues it, `wren abort` rolls it back',
    }),
  ),
  release: Type.Optional(ReleaseRecord),
  conditions: Type.Optional(Type.Array(Condition, { description: 'Conditions of the canary' })),
});

export const CanarySchema = KubernetesObject('A workload released step by step', CanarySpec, CanaryStatus, {
  specRequired: true,
});

export type Canary = Static<typeof CanarySchema>;
export type CanarySpecType = Static<typeof CanarySpec>;
export type CanaryStatusType = Static<typeof CanaryStatus>;
