import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CanarySchema } from '../../src/api/canary.ts';
import { pointerToField, schemaProblems } from '../../src/api/validation/schema-problems.ts';

const spec = (analysis: Record<string, unknown>) => ({
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' },
    service: { port: 80 },
    analysis: { interval: '1m', threshold: 5, ...analysis },
  },
});

test('JSON pointers become the dotted paths users write', () => {
  assert.equal(pointerToField('/spec/analysis/metrics/1/name'), 'spec.analysis.metrics[1].name');
  assert.equal(pointerToField('/spec/service/port'), 'spec.service.port');
  assert.equal(pointerToField('/metadata/annotations/a~1b'), 'metadata.annotations.a/b');
});

test('schema problems name the field and say what is wrong', () => {
  assert.deepEqual(schemaProblems(CanarySchema, spec({ stepWeight: 10 })), []);
  const [tooHeavy] = schemaProblems(CanarySchema, spec({ stepWeight: 10, maxWeight: 150 }));
  assert.equal(tooHeavy?.field, 'spec.analysis.maxWeight');
  assert.match(tooHeavy?.message ?? '', /100/);

  const [badInterval] = schemaProblems(CanarySchema, spec({ interval: 'soon', stepWeight: 10 }));
  assert.equal(badInterval?.field, 'spec.analysis.interval');

  const enumProblem = schemaProblems(CanarySchema, {
    spec: { ...spec({ stepWeight: 10 }).spec, targetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'x' } },
  });
  assert.deepEqual(enumProblem, [{ field: 'spec.targetRef.kind', message: 'must be one of "Deployment", "DaemonSet"; got "StatefulSet"' }]);
});

test('negative metric limits and an unknown onNoData are refused, naming the field', () => {
  const metric = (limits: Record<string, unknown>) => spec({ stepWeight: 10, metrics: [{ name: 'request-success-rate', ...limits }] });
  assert.deepEqual(
    schemaProblems(CanarySchema, metric({ failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 0, onNoData: 'pause' })),
    [],
  );
  for (const field of ['failureLimit', 'inconclusiveLimit', 'consecutiveErrorLimit']) {
    const [problem, ...rest] = schemaProblems(CanarySchema, metric({ [field]: -1 }));
    assert.equal(problem?.field, `spec.analysis.metrics[0].${field}`);
    assert.match(problem?.message ?? '', /0/);
    assert.deepEqual(rest, []);
    assert.equal(schemaProblems(CanarySchema, metric({ [field]: 1.5 }))[0]?.field, `spec.analysis.metrics[0].${field}`);
  }
  const [noData] = schemaProblems(CanarySchema, metric({ onNoData: 'ignore' }));
  assert.deepEqual(noData, {
    field: 'spec.analysis.metrics[0].onNoData',
    message: 'must be one of "fail", "inconclusive", "pause"; got "ignore"',
  });
});

test('a missing object is reported once, not once per missing child', () => {
  const problems = schemaProblems(CanarySchema, {
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'a' }, service: { port: 80 } },
  });
  assert.deepEqual(problems, [{ field: 'spec.analysis', message: 'is required' }]);
});

test('a reference must be a name an object can have: no paths, dots alone, upper case or spaces', () => {
  const withSecretRef = (name: string) =>
    spec({ stepWeight: 10, webhooks: [{ name: 'load', url: 'http://loadtester.test/', secretRef: { name } }] });
  for (const name of ['../../kube-system/secrets/admin', '..', 'a/b', 'Admin', 'with space', '-dash', 'x'.repeat(254), 'a..b']) {
    assert.deepEqual(
      schemaProblems(CanarySchema, withSecretRef(name)).map((problem) => problem.field),
      ['spec.analysis.webhooks[0].secretRef.name'],
      name,
    );
  }
  for (const name of ['loadtester-token', 'token.v2', '0']) assert.deepEqual(schemaProblems(CanarySchema, withSecretRef(name)), [], name);
  const template = spec({ stepWeight: 10, metrics: [{ name: 'errors', templateRef: { name: 'errors', namespace: '../x' } }] });
  assert.deepEqual(
    schemaProblems(CanarySchema, template).map((problem) => problem.field),
    ['spec.analysis.metrics[0].templateRef.namespace'],
  );
});
