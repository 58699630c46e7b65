import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CanarySpecType } from '../../src/api/canary.ts';
import { canaryProblems, missingTemplateProblems } from '../../src/api/validation/canary-rules.ts';

function spec(overrides: Partial<CanarySpecType> = {}, analysis: Partial<CanarySpecType['analysis']> = {}): CanarySpecType {
  return {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' },
    service: { port: 80 },
    provider: 'istio',
    ...overrides,
    analysis: { interval: '1m', threshold: 5, ...analysis },
  };
}

const cases: { name: string; spec: CanarySpecType; fields: string[] }[] = [
  { name: 'progressive canary', spec: spec({}, { stepWeight: 10, maxWeight: 50 }), fields: [] },
  { name: 'fixed step weights', spec: spec({}, { stepWeights: [5, 10, 50] }), fields: [] },
  { name: 'blue/green', spec: spec({}, { iterations: 10 }), fields: [] },
  { name: 'A/B testing', spec: spec({}, { iterations: 10, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] }), fields: [] },
  { name: 'no schedule', spec: spec(), fields: ['spec.analysis'] },
  { name: 'stepWeight and stepWeights', spec: spec({}, { stepWeight: 10, stepWeights: [10, 20] }), fields: ['spec.analysis.stepWeights'] },
  { name: 'iterations and stepWeight', spec: spec({}, { iterations: 5, stepWeight: 10 }), fields: ['spec.analysis.stepWeight'] },
  { name: 'stepWeight above maxWeight', spec: spec({}, { stepWeight: 60, maxWeight: 50 }), fields: ['spec.analysis.stepWeight'] },
  { name: 'stepWeight above the default maxWeight is impossible', spec: spec({}, { stepWeight: 100 }), fields: [] },
  { name: 'step weights not increasing', spec: spec({}, { stepWeights: [10, 50, 30] }), fields: ['spec.analysis.stepWeights[2]'] },
  { name: 'maxWeight with stepWeights', spec: spec({}, { stepWeights: [10, 20], maxWeight: 50 }), fields: ['spec.analysis.maxWeight'] },
  { name: 'match without iterations', spec: spec({}, { stepWeight: 10, match: [{ headers: {} }] }), fields: ['spec.analysis.match'] },
  { name: 'mirrorWeight without mirror', spec: spec({}, { iterations: 5, mirrorWeight: 50 }), fields: ['spec.analysis.mirrorWeight'] },
  { name: 'blue/green on the kubernetes provider', spec: spec({ provider: 'kubernetes' }, { iterations: 5 }), fields: [] },
  {
    name: 'weights on the kubernetes provider',
    spec: spec({ provider: 'kubernetes' }, { stepWeight: 10 }),
    fields: ['spec.analysis.stepWeight'],
  },
  {
    name: 'A/B on the kubernetes provider',
    spec: spec({ provider: 'kubernetes' }, { iterations: 5, match: [{ headers: { x: { exact: 'y' } } }] }),
    fields: ['spec.analysis.match'],
  },
  {
    name: 'explicit steps with an indefinite pause',
    spec: spec({}, { steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '5m' } }] }),
    fields: [],
  },
  {
    name: 'a step that both sets a weight and pauses',
    spec: spec({}, { steps: [{ setWeight: 10, pause: {} }] }),
    fields: ['spec.analysis.steps[0]'],
  },
  {
    name: 'partial weights in steps on the kubernetes provider',
    spec: spec({ provider: 'kubernetes' }, { steps: [{ setWeight: 0 }, { pause: {} }, { setWeight: 30 }] }),
    fields: ['spec.analysis.steps[2].setWeight'],
  },
  {
    name: 'DaemonSet target',
    spec: spec({ targetRef: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent' } }, { iterations: 2 }),
    fields: ['spec.targetRef.kind'],
  },
  {
    name: 'session affinity on the traefik provider (its sticky cookie)',
    spec: spec({ provider: 'traefik' }, { stepWeight: 10, sessionAffinity: { cookieName: 'c', sameSite: 'Lax' } }),
    fields: [],
  },
  {
    name: "session affinity on the traefik provider asks for what Traefik's one sticky cookie lacks",
    spec: spec(
      { provider: 'traefik' },
      { stepWeight: 10, sessionAffinity: { cookieName: 'c', primaryCookieName: 'p', partitioned: true } },
    ),
    fields: ['spec.analysis.sessionAffinity.primaryCookieName', 'spec.analysis.sessionAffinity.partitioned'],
  },
  {
    name: 'session affinity on the nginx provider',
    spec: spec(
      { provider: 'nginx', ingressRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'app' } },
      { stepWeight: 10, sessionAffinity: { cookieName: 'c' } },
    ),
    fields: ['spec.analysis.sessionAffinity'],
  },
  { name: 'unknown provider', spec: spec({ provider: 'appmesh' }, { stepWeight: 10 }), fields: ['spec.provider'] },
  { name: 'Flagger versioned provider name', spec: spec({ provider: 'smi:v1alpha3' }, { stepWeight: 10 }), fields: [] },
  { name: 'nginx without ingressRef', spec: spec({ provider: 'nginx' }, { stepWeight: 10 }), fields: ['spec.ingressRef'] },
  {
    name: 'gatewayapi without gatewayRefs',
    spec: spec({ provider: 'gatewayapi:v1' }, { stepWeight: 10 }),
    fields: ['spec.service.gatewayRefs'],
  },
  {
    name: 'custom metric without template',
    spec: spec({}, { stepWeight: 10, metrics: [{ name: 'error-budget', thresholdRange: { max: 1 } }] }),
    fields: ['spec.analysis.metrics[0].templateRef'],
  },
  {
    name: 'custom metric with inline query',
    spec: spec({}, { stepWeight: 10, metrics: [{ name: 'errors', query: 'sum(rate(x[1m]))', thresholdRange: { max: 1 } }] }),
    fields: [],
  },
  {
    name: 'metric without any check',
    spec: spec({}, { stepWeight: 10, metrics: [{ name: 'request-success-rate' }] }),
    fields: ['spec.analysis.metrics[0]'],
  },
  {
    name: 'inverted threshold range',
    spec: spec({}, { stepWeight: 10, metrics: [{ name: 'request-duration', thresholdRange: { min: 500, max: 100 } }] }),
    fields: ['spec.analysis.metrics[0].thresholdRange'],
  },
  {
    name: 'duplicate metric names',
    spec: spec(
      {},
      {
        stepWeight: 10,
        metrics: [
          { name: 'request-duration', thresholdRange: { max: 500 } },
          { name: 'request-duration', thresholdRange: { max: 400 } },
        ],
      },
    ),
    fields: ['spec.analysis.metrics[1].name'],
  },
  {
    name: 'webhook URL that is not http',
    spec: spec({}, { stepWeight: 10, webhooks: [{ name: 'gate', url: 'ftp://gate' }] }),
    fields: ['spec.analysis.webhooks[0].url'],
  },
  {
    name: 'a condition that does not parse',
    spec: spec({}, { stepWeight: 10, metrics: [{ name: 'request-duration', successCondition: 'result <' }] }),
    fields: ['spec.analysis.metrics[0].successCondition'],
  },
  {
    name: 'a hostile condition',
    spec: spec({}, { stepWeight: 10, metrics: [{ name: 'request-duration', failureCondition: 'import({}, {})' }] }),
    fields: ['spec.analysis.metrics[0].failureCondition'],
  },
  {
    name: 'a built-in metric for a provider without built-ins',
    spec: spec({ provider: 'contour' }, { stepWeight: 10, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 } }] }),
    fields: ['spec.analysis.metrics[0].templateRef'],
  },
  {
    name: 'an inline query with the variables its metric sets',
    spec: spec(
      {},
      {
        stepWeight: 10,
        metrics: [
          {
            name: 'errors',
            query: 'sum(x{ns="{{ namespace }}", code="{{ variables.code }}"})',
            templateVariables: { code: '5..' },
            thresholdRange: { max: 1 },
          },
        ],
      },
    ),
    fields: [],
  },
  {
    name: 'an inline query with a placeholder that is no variable',
    spec: spec({}, { stepWeight: 10, metrics: [{ name: 'errors', query: 'sum(x{a="{{ constructor }}"})', thresholdRange: { max: 1 } }] }),
    fields: ['spec.analysis.metrics[0].query'],
  },
  {
    name: 'an inline query with a variable its metric does not set',
    spec: spec(
      {},
      {
        stepWeight: 10,
        metrics: [
          { name: 'errors', query: 'sum(x{a="{{ variables.constructor }}", b="{{ variables.missing }}"})', thresholdRange: { max: 1 } },
        ],
      },
    ),
    fields: ['spec.analysis.metrics[0].query'],
  },
  {
    name: 'KEDA ScaledObject autoscaler',
    spec: spec({ autoscalerRef: { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'app' } }, { stepWeight: 10 }),
    fields: ['spec.autoscalerRef.kind'],
  },
  {
    name: 'built-in metric compared with the primary',
    spec: spec({}, { stepWeight: 10, metrics: [{ name: 'request-success-rate', compareTo: 'primary', comparison: { maxIncrease: 1 } }] }),
    fields: [],
  },
  {
    name: 'a comparison with a fixed range as well',
    spec: spec({}, { stepWeight: 10, metrics: [{ name: 'request-duration', compareTo: 'primary', thresholdRange: { max: 500 } }] }),
    fields: ['spec.analysis.metrics[0].compareTo'],
  },
  {
    name: 'a comparison of an inline query',
    spec: spec({}, { stepWeight: 10, metrics: [{ name: 'errors', compareTo: 'primary', query: 'sum(x)' }] }),
    fields: ['spec.analysis.metrics[0].compareTo'],
  },
  {
    name: 'a built-in comparison the provider does not have',
    spec: spec(
      { provider: 'nginx', ingressRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web' } },
      { stepWeight: 10, metrics: [{ name: 'request-success-rate', compareTo: 'primary' }] },
    ),
    fields: ['spec.analysis.metrics[0].compareTo'],
  },
  {
    name: 'early promotion of error rates that may be no worse at all',
    spec: spec(
      {},
      { stepWeight: 10, metrics: [{ name: 'request-success-rate', compareTo: 'primary', comparison: { promoteWhenProven: true } }] },
    ),
    fields: ['spec.analysis.metrics[0].comparison.maxIncrease'],
  },
  {
    name: 'comparison settings without compareTo',
    spec: spec(
      {},
      { stepWeight: 10, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 }, comparison: { minSamples: 5 } }] },
    ),
    fields: ['spec.analysis.metrics[0].comparison'],
  },
];

for (const { name, spec: canarySpec, fields } of cases) {
  test(`canary rules: ${name}`, () => {
    const problems = canaryProblems(canarySpec);
    assert.deepEqual(
      problems.map((problem) => problem.field),
      fields,
      problems.map((problem) => `${problem.field}: ${problem.message}`).join('\n'),
    );
    for (const problem of problems) assert.ok(problem.message.length > 0);
  });
}

test('canary rules use the operator default provider when the Canary names none', () => {
  const { provider: _none, ...withoutProvider } = spec({}, { stepWeight: 10 });
  assert.deepEqual(
    canaryProblems(withoutProvider, 'nginx').map((p) => p.field),
    ['spec.ingressRef'],
  );
  const [problem] = canaryProblems(withoutProvider, 'kubernetes');
  assert.equal(problem?.field, 'spec.analysis.stepWeight');
  assert.match(problem?.message ?? '', /kubernetes provider \(spec.provider\) cannot split traffic by weight/);
});

test('every templateRef whose MetricTemplate does not exist is named, with the namespace it was looked for in', () => {
  const canary = {
    metadata: { name: 'app', namespace: 'shop' },
    spec: spec(
      {},
      {
        stepWeight: 10,
        metrics: [
          { name: 'request-success-rate', thresholdRange: { min: 99 } },
          { name: 'errors', templateRef: { name: 'errors' }, thresholdRange: { max: 1 } },
          { name: 'latency', templateRef: { name: 'latency', namespace: 'platform' }, thresholdRange: { max: 500 } },
          { name: 'gone', templateRef: { name: 'gone' }, thresholdRange: { max: 1 } },
        ],
      },
    ),
  };
  const existing = new Set(['shop/errors']);
  const template = { apiVersion: 'wren.dev/v1alpha1', kind: 'MetricTemplate', spec: { provider: { type: 'prometheus' as const } } };
  const problems = missingTemplateProblems(canary, (namespace, name) => (existing.has(`${namespace}/${name}`) ? template : undefined));
  assert.deepEqual(problems, [
    { field: 'spec.analysis.metrics[2].templateRef', message: 'MetricTemplate platform/latency does not exist' },
    { field: 'spec.analysis.metrics[3].templateRef', message: 'MetricTemplate shop/gone does not exist' },
  ]);
});

test('URLs with whitespace, control or bidi characters are not http(s) URLs, even where the URL parser would drop them', () => {
  for (const url of [
    'http://example.\r\ncom/hook',
    'http://example.com/\u0000hook',
    ' http://example.com/',
    'http://example.com/\u202ekooh',
    'http://exa\tmple.com/',
  ]) {
    const problems = canaryProblems(spec({}, { stepWeight: 10, webhooks: [{ name: 'hook', url }] }));
    assert.deepEqual(
      problems.map((problem) => problem.field),
      ['spec.analysis.webhooks[0].url'],
      JSON.stringify(url),
    );
  }
});

test('messages quote spec values JSON-escaped and cut short', () => {
  const [problem] = canaryProblems(spec({ provider: `\u001b[31m${'x'.repeat(250_000)}` }, { stepWeight: 10 }));
  assert.equal(problem?.field, 'spec.provider');
  assert.ok((problem?.message.length ?? 0) < 400, `${problem?.message.length} characters`);
  assert.ok(problem?.message.includes('\\u001b') && !problem.message.includes('\u001b'), problem?.message);
  const [secret] = canaryProblems(spec({}, { stepWeight: 10, webhooks: [{ name: 'hook', url: 'ftp://bot:s3cret@hooks.example/x' }] }));
  assert.ok(secret && !secret.message.includes('s3cret'), secret?.message);
});
