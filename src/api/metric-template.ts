import { Type, type Static } from '@sinclair/typebox';
import { Condition, Described, Duration, Enum, KubernetesObject, LocalRef } from './schema-types.ts';

export const METRIC_PROVIDER_TYPES = [
  'prometheus',
  'web',
  'influxdb',
  'graphite',
  'datadog',
  'newrelic',
  'dynatrace',
  'cloudwatch',
  'stackdriver',
] as const;

export const TemplateComparison = Described(
  'Queries that compare the canary with the primary: {{ target }} is the canary workload on one side and the primary on the other, {{ interval }} the time since the run started',
  {
    requests: Type.Optional(Type.String({ description: 'Count of requests over {{ interval }} (with errors)' })),
    errors: Type.Optional(Type.String({ description: 'Count of failed requests over {{ interval }} (with requests)' })),
    buckets: Type.Optional(
      Type.String({ description: 'Cumulative histogram buckets over {{ interval }}, one series per le label (Prometheus only)' }),
    ),
    quantile: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        exclusiveMaximum: 1,
        description: 'Quantile of the buckets reported and held to maxIncrease (default 0.99)',
      }),
    ),
    unit: Type.Optional(Type.String({ description: 'Unit of the bucket bounds as shown, e.g. ms' })),
    scale: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'Factor from the bucket bounds to the unit shown (e.g. 1000 for seconds shown in ms)',
      }),
    ),
  },
);

export const MetricTemplateSpec = Described('A reusable metric query', {
  provider: Described('Where the metric is read', {
    type: Enum(METRIC_PROVIDER_TYPES, 'Kind of metric source'),
    address: Type.Optional(
      Type.String({
        description: 'Base URL of the source (Prometheus, a hosted service; hosted ones have a default) or the URL to call (web)',
      }),
    ),
    secretRef: Type.Optional(LocalRef('Secret with credentials: token, or username and password, or the keys a hosted provider reads')),
    headers: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()), { description: 'Extra HTTP headers, by name' })),
    region: Type.Optional(Type.String({ minLength: 1, description: 'AWS region (cloudwatch), when the address does not name it' })),
    insecureSkipVerify: Type.Optional(Type.Boolean({ description: 'Skip TLS verification' })),
    timeout: Type.Optional(Duration('Query timeout (default 30s)')),
  }),
  query: Type.Optional(
    Type.String({ description: 'Query with {{ name }}, {{ namespace }}, {{ target }}, {{ interval }}, {{ variables.x }}' }),
  ),
  comparison: Type.Optional(TemplateComparison),
  web: Type.Optional(
    Described('Request details of a web provider', {
      method: Type.Optional(Enum(['GET', 'POST'] as const, 'HTTP method (default GET)')),
      body: Type.Optional(Type.String({ description: 'Request body (templated like the query)' })),
      jsonPath: Type.String({ minLength: 1, description: 'JSONPath of the value in the reply, e.g. $.data.rate' }),
    }),
  ),
  influxdb: Type.Optional(
    Described('Request details of an influxdb provider', {
      database: Type.Optional(
        Type.String({
          minLength: 1,
          description: 'Database the InfluxQL query reads (the db parameter); else fully qualify the measurement',
        }),
      ),
    }),
  ),
});

export const MetricTemplateStatus = Described('Observed state of a MetricTemplate', {
  observedGeneration: Type.Optional(Type.Integer()),
  conditions: Type.Optional(Type.Array(Condition)),
});

export const MetricTemplateSchema = KubernetesObject(
  'A metric query that Canary checks refer to',
  MetricTemplateSpec,
  MetricTemplateStatus,
  { specRequired: true },
);
export type MetricTemplate = Static<typeof MetricTemplateSchema>;
