import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertProviderProblems } from '../../src/api/validation/alert-provider-rules.ts';
import { gitSyncProblems } from '../../src/api/validation/git-sync-rules.ts';
import { metricTemplateProblems } from '../../src/api/validation/metric-template-rules.ts';
import { validateResource } from '../../src/api/validation/validate-resource.ts';
import { CANARY, GIT_SYNC, IMAGE_POLICY } from '../../src/api/kinds.ts';

const fields = (problems: { field: string }[]) => problems.map((problem) => problem.field);

test('GitSync rules', () => {
  const cases: [Parameters<typeof gitSyncProblems>[0], string[]][] = [
    [{ url: 'https://git.example.com/app.git' }, []],
    [{ url: 'git@github.com:org/repo.git' }, []],
    [{ url: 'ssh://git@host:22/org/repo.git' }, []],
    [{ url: 'file:///srv/git/app.git', ref: { branch: 'main' } }, []],
    [{ url: '--upload-pack=touch /tmp/x' }, ['spec.url']],
    [{ url: 'ext::sh -c touch% /tmp/pwned' }, ['spec.url']],
    [{ url: 'https://h/r.git', ref: { branch: 'main', commit: 'abcdef1' } }, ['spec.ref']],
    [{ url: 'https://h/r.git', path: '../etc' }, ['spec.path']],
    [{ url: 'https://h/r.git', path: '/abs' }, ['spec.path']],
    [{ url: 'https://h/r.git', render: { helm: { releaseName: 'x' } } }, ['spec.render.helm']],
    [{ url: 'https://h/r.git', createNamespace: true }, ['spec.createNamespace']],
    [{ url: 'https://h/r.git', images: [{ name: 'app' }] }, ['spec.images[0]']],
    // What the fetch would refuse is refused when the GitSync is applied.
    [{ url: 'ssh://-oProxyCommand=touch/repo' }, ['spec.url']],
    [{ url: 'git@-oProxyCommand:repo' }, ['spec.url']],
    [{ url: ' https://h/r.git' }, ['spec.url']],
    [{ url: 'https://h/r.git\n' }, ['spec.url']],
    [{ url: 'https://h/r.git', ref: { branch: '--upload-pack=touch /tmp/x' } }, ['spec.ref.branch']],
    [{ url: 'https://h/r.git', ref: { tag: 'a..b' } }, ['spec.ref.tag']],
    [{ url: 'https://h/r.git', ref: { branch: 'feature/x' } }, []],
    [{ url: 'https://h/r.git', ref: { semver: '-1' } }, ['spec.ref.semver']],
    [{ url: 'https://h/r.git', ref: { semver: 'not a range' } }, ['spec.ref.semver']],
    [{ url: 'https://h/r.git', ref: { semver: '>=1.2.0 <2' } }, []],
  ];
  for (const [spec, expected] of cases) assert.deepEqual(fields(gitSyncProblems(spec)), expected, JSON.stringify(spec));
});

test('MetricTemplate rules', () => {
  assert.deepEqual(fields(metricTemplateProblems({ provider: { type: 'prometheus', address: 'http://prom:9090' }, query: 'up' })), []);
  assert.deepEqual(fields(metricTemplateProblems({ provider: { type: 'prometheus' } })), ['spec.query']);
  assert.deepEqual(fields(metricTemplateProblems({ provider: { type: 'prometheus', address: 'prom:9090' }, query: 'up' })), [
    'spec.provider.address',
  ]);
  assert.deepEqual(fields(metricTemplateProblems({ provider: { type: 'web' } })), ['spec.provider.address', 'spec.web']);
  assert.deepEqual(fields(metricTemplateProblems({ provider: { type: 'datadog' } })), ['spec.query', 'spec.provider.secretRef']);
  assert.deepEqual(fields(metricTemplateProblems({ provider: { type: 'datadog', secretRef: { name: 'dd' } }, query: 'avg:x{*}' })), []);
  assert.deepEqual(fields(metricTemplateProblems({ provider: { type: 'dynatrace', secretRef: { name: 'dt' } }, query: 'builtin:x' })), [
    'spec.provider.address',
  ]);
  assert.match(
    metricTemplateProblems({ provider: { type: 'newrelic' }, query: 'SELECT 1' })[0]?.message ?? '',
    /required by the newrelic provider \(keys newrelic_account_id, newrelic_query_key\)/,
  );
  assert.deepEqual(
    fields(metricTemplateProblems({ provider: { type: 'web', address: 'https://kpi/x' }, web: { jsonPath: '$.value' } })),
    [],
  );
  const unknownVariable = metricTemplateProblems({
    provider: { type: 'prometheus' },
    query: 'up{job="{{ job }}", ns="{{ namespace }}", x="{{ variables.x }}"}',
  });
  assert.deepEqual(fields(unknownVariable), ['spec.query']);
  assert.match(unknownVariable[0]?.message ?? '', /"\{\{ job \}\}"/);
  for (const placeholder of ['{{ constructor }}', '{{ variables.__proto__ }}', '{{ __proto__ }}', '{{ variables }}', '{{ }}']) {
    assert.deepEqual(
      fields(metricTemplateProblems({ provider: { type: 'prometheus' }, query: `up${placeholder}` })),
      ['spec.query'],
      placeholder,
    );
  }
  // The Canary sets variables.<name>; any name it can set is fine in a template.
  assert.deepEqual(fields(metricTemplateProblems({ provider: { type: 'prometheus' }, query: 'up{x="{{ variables.constructor }}"}' })), []);
  const body = metricTemplateProblems({
    provider: { type: 'web', address: 'https://kpi/x' },
    web: { jsonPath: '$.value', body: '{"app": "{{ target }}", "env": "{{ env }}"}' },
  });
  assert.deepEqual(fields(body), ['spec.web.body']);
});

test('AlertProvider rules', () => {
  assert.deepEqual(fields(alertProviderProblems({ type: 'slack', secretRef: { name: 'hook' } })), []);
  assert.deepEqual(fields(alertProviderProblems({ type: 'slack' })), ['spec.secretRef']);
  assert.deepEqual(fields(alertProviderProblems({ type: 'discord', address: 'not a url' })), ['spec.address']);
});

test('validateResource reports schema problems before semantic ones', () => {
  const context = { defaultProvider: 'kubernetes' };
  assert.deepEqual(fields(validateResource(GIT_SYNC, { spec: { url: 'https://h/r.git', interval: 'often' } }, context)), ['spec.interval']);
  assert.deepEqual(fields(validateResource(GIT_SYNC, { spec: { url: '-x' } }, context)), ['spec.url']);
  assert.deepEqual(fields(validateResource(GIT_SYNC, {}, context)), ['spec']);
});

test('a duration longer than 596h is refused wherever it sits, naming the field; 596h itself is fine', () => {
  const context = { defaultProvider: 'kubernetes' };
  const canary = (analysis: Record<string, unknown>) => ({
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' },
      service: { port: 80 },
      analysis: { interval: '1m', threshold: 5, iterations: 3, ...analysis },
    },
  });
  assert.deepEqual(fields(validateResource(CANARY, canary({ interval: '596h' }), context)), []);
  for (const tooLong of ['99999h', '597h', '2147484s', `${'9'.repeat(400)}s`]) {
    const problems = validateResource(CANARY, canary({ interval: tooLong }), context);
    assert.deepEqual(fields(problems), ['spec.analysis.interval'], tooLong);
    assert.match(problems[0]?.message ?? '', /longer than 596h/);
  }
  const webhook = canary({
    webhooks: [
      { name: 'a', url: 'http://a/' },
      { name: 'b', url: 'http://b/', timeout: '99999h' },
    ],
  });
  assert.deepEqual(fields(validateResource(CANARY, webhook, context)), ['spec.analysis.webhooks[1].timeout']);
  assert.deepEqual(fields(validateResource(GIT_SYNC, { spec: { url: 'https://h/r.git', interval: '1m', timeout: '1000h' } }, context)), [
    'spec.timeout',
  ]);
  const policy = { image: 'ghcr.io/org/app', gitSyncRef: { name: 'config' }, policy: { semver: { range: '>=1' } }, interval: '99999h' };
  assert.deepEqual(fields(validateResource(IMAGE_POLICY, { spec: policy }, context)), ['spec.interval']);
});
