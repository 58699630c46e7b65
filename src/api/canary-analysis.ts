// Canary.spec.analysis: the schedule of traffic steps and the checks that judge each step.
import { Type } from '@sinclair/typebox';
import { Described, Duration, Enum, LocalRef, NamespacedRef, Percent, StringMap } from './schema-types.ts';

export const WEBHOOK_TYPES = [
  'confirm-rollout',
  'pre-rollout',
  'rollout',
  'confirm-traffic-increase',
  'confirm-promotion',
  'post-rollout',
  'rollback',
  'event',
] as const;

const StringMatch = Described('A string match; set exactly one of the fields', {
  exact: Type.Optional(Type.String()),
  prefix: Type.Optional(Type.String()),
  suffix: Type.Optional(Type.String()),
  regex: Type.Optional(Type.String({ description: 'RE2 regular expression' })),
});

export const RequestMatch = Described('Requests that go to the canary (A/B testing)', {
  headers: Type.Optional(Type.Record(Type.String(), StringMatch, { description: 'Header matches by header name' })),
  queryParams: Type.Optional(Type.Record(Type.String(), StringMatch, { description: 'Query parameter matches' })),
  sourceLabels: Type.Optional(StringMap('Labels of the calling workload (Istio mesh gateway)')),
});

export const ComparisonSettings = Described('How a comparison with the primary decides (with compareTo: primary)', {
  confidence: Type.Optional(
    Type.Number({
      minimum: 0.5,
      maximum: 0.9999,
      description: 'Confidence of a verdict, valid however often the run looks (default 0.95)',
    }),
  ),
  maxIncrease: Type.Optional(
    Type.Number({
      minimum: 0,
      description:
        'How much worse the canary may be: percentage points of errors (requests and errors), or percent of the quantile (histograms); default 0 and 10',
    }),
  ),
  minSamples: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: 'Requests each side needs before any verdict; fewer is Inconclusive, never a pass (default 100)',
    }),
  ),
  promoteWhenProven: Type.Optional(
    Type.Boolean({
      description:
        'Promote before the schedule ends once this comparison proves the canary no worse than maxIncrease (with the confidence), when every metric of the analysis is such a comparison and proves it at the same step',
    }),
  ),
});

export const MetricCheck = Described('A metric that each analysis step checks', {
  name: Type.String({ minLength: 1, description: 'Name of the metric; request-success-rate and request-duration are built in' }),
  interval: Type.Optional(Duration('Range of the query')),
  threshold: Type.Optional(Type.Number({ description: 'Deprecated: maximum accepted value; use thresholdRange' })),
  thresholdRange: Type.Optional(
    Described('Accepted range of the value', {
      min: Type.Optional(Type.Number({ description: 'Lowest accepted value' })),
      max: Type.Optional(Type.Number({ description: 'Highest accepted value' })),
    }),
  ),
  successCondition: Type.Optional(Type.String({ description: 'Expression that must hold for the check to pass, e.g. result >= 99' })),
  failureCondition: Type.Optional(Type.String({ description: 'Expression that fails the check when it holds' })),
  query: Type.Optional(Type.String({ description: 'Prometheus query (instead of a templateRef)' })),
  templateRef: Type.Optional(NamespacedRef('MetricTemplate that gives the query')),
  templateVariables: Type.Optional(StringMap('Values for {{ variables.x }} in the template')),
  compareTo: Type.Optional(
    Enum(
      ['primary'] as const,
      "Judge the canary against the primary over the same window (the template's spec.comparison) instead of a fixed range",
    ),
  ),
  comparison: Type.Optional(ComparisonSettings),
  failureLimit: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: 'Failed checks of this metric a run tolerates; one more fails the run even below analysis.threshold (default: no limit)',
    }),
  ),
  inconclusiveLimit: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        'Inconclusive results of this metric a run tolerates; one more pauses the run until `wren promote` or `wren abort` (default: no limit)',
    }),
  ),
  consecutiveErrorLimit: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        'Errors in a row (server unreachable, query failed) this metric tolerates while holding the step; one more is a failed check (default: unreachable holds for as long as it lasts, a failed query fails)',
    }),
  ),
  onNoData: Type.Optional(
    Enum(
      ['fail', 'inconclusive', 'pause'] as const,
      'What a query that returns nothing is: a failed check (default), an inconclusive result, or a pause until `wren promote` or `wren abort`',
    ),
  ),
});

export const Webhook = Described('A webhook called during the canary run', {
  name: Type.String({ minLength: 1, description: 'Name of the webhook' }),
  type: Type.Optional(Enum(['', ...WEBHOOK_TYPES] as const, 'When the webhook is called (default rollout)')),
  url: Type.String({ minLength: 1, description: 'URL the payload is POSTed to' }),
  timeout: Type.Optional(Duration('Request timeout (default 10s)')),
  retries: Type.Optional(Type.Integer({ minimum: 0, description: 'Retries after a failed call' })),
  muteAlert: Type.Optional(Type.Boolean({ description: 'Send no alert for this webhook' })),
  disableTLS: Type.Optional(Type.Boolean({ description: 'Skip TLS verification' })),
  metadata: Type.Optional(StringMap('Metadata sent in the payload')),
  secretRef: Type.Optional(
    LocalRef('Secret in the Canary\'s namespace whose key "token" is sent as Authorization: Bearer (e.g. to wren loadtester)'),
  ),
});

export const Alert = Described('An alert sent on canary events', {
  name: Type.String({ minLength: 1, description: 'Name of the alert' }),
  severity: Type.Optional(Enum(['', 'info', 'warn', 'error'] as const, 'Lowest severity sent (default info)')),
  providerRef: NamespacedRef('AlertProvider to send through'),
});

export const SessionAffinity = Described('Pins a user to the version they first saw', {
  cookieName: Type.String({ minLength: 1, description: 'Cookie that pins a session to the canary' }),
  primaryCookieName: Type.Optional(Type.String({ description: 'Cookie that pins a session to the primary' })),
  maxAge: Type.Optional(Type.Integer({ minimum: 0, description: 'Cookie lifetime in seconds (default 86400)' })),
  domain: Type.Optional(Type.String()),
  path: Type.Optional(Type.String()),
  httpOnly: Type.Optional(Type.Boolean()),
  secure: Type.Optional(Type.Boolean()),
  partitioned: Type.Optional(Type.Boolean()),
  sameSite: Type.Optional(Enum(['Strict', 'Lax', 'None'] as const, 'SameSite attribute of the cookie')),
});

export const AnalysisStep = Described('One step of an explicit schedule: set a weight, or pause', {
  setWeight: Type.Optional(Percent('Canary weight from this step on')),
  pause: Type.Optional(
    Described('Hold the current weight; without a duration, until `wren promote`', {
      duration: Type.Optional(Duration('How long to hold')),
    }),
  ),
});

export const CanaryAnalysis = Described('How the canary is stepped and judged', {
  interval: Duration('Time between analysis steps'),
  threshold: Type.Integer({ minimum: 1, description: 'Failed checks that trigger a rollback' }),
  iterations: Type.Optional(Type.Integer({ minimum: 1, description: 'Steps of a blue/green or A/B run' })),
  maxWeight: Type.Optional(Percent('Highest canary weight before promotion (default 100)')),
  stepWeight: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Weight added at each step' })),
  stepWeights: Type.Optional(
    Type.Array(Type.Integer({ minimum: 1, maximum: 100 }), { minItems: 1, description: 'Canary weight at each step' }),
  ),
  steps: Type.Optional(
    Type.Array(AnalysisStep, {
      minItems: 1,
      description: 'Explicit schedule of weights and pauses (instead of stepWeight, stepWeights or iterations)',
    }),
  ),
  stepWeightPromotion: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100, description: 'Weight moved to the primary at each promotion step' }),
  ),
  mirror: Type.Optional(Type.Boolean({ description: 'Mirror primary traffic to the canary' })),
  mirrorWeight: Type.Optional(Percent('Share of traffic mirrored')),
  primaryReadyThreshold: Type.Optional(Percent('Share of primary pods that must be ready (default 100)')),
  canaryReadyThreshold: Type.Optional(Percent('Share of canary pods that must be ready (default 100)')),
  match: Type.Optional(Type.Array(RequestMatch, { description: 'A/B testing: requests routed to the canary' })),
  metrics: Type.Optional(Type.Array(MetricCheck, { description: 'Metric checks of every step' })),
  webhooks: Type.Optional(Type.Array(Webhook, { description: 'Webhooks of the run' })),
  alerts: Type.Optional(Type.Array(Alert, { description: 'Alerts of the run' })),
  sessionAffinity: Type.Optional(SessionAffinity),
});
