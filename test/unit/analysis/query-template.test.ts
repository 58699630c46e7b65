import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTemplate, TemplateError, type TemplateVariables } from '../../../src/analysis/query-template.ts';

const variables: TemplateVariables = {
  name: 'podinfo',
  namespace: 'shop',
  target: 'podinfo',
  service: 'podinfo-svc',
  ingress: 'podinfo-ing',
  interval: '1m',
  variables: { code: '404', 'route-name': 'checkout' },
};

test('every documented variable renders, with or without spaces inside the braces', () => {
  const cases: [string, string][] = [
    ['{{ name }}', 'podinfo'],
    ['{{namespace}}', 'shop'],
    ['{{ target }}', 'podinfo'],
    ['{{ service }}', 'podinfo-svc'],
    ['{{ ingress }}', 'podinfo-ing'],
    ['rate(x[{{ interval }}])', 'rate(x[1m])'],
    ['code="{{ variables.code }}"', 'code="404"'],
    ['{{ variables.route-name }}', 'checkout'],
    ['no placeholders', 'no placeholders'],
  ];
  for (const [template, expected] of cases) assert.equal(renderTemplate(template, variables), expected, template);
});

test('a missing variable is an error naming it, never an empty string', () => {
  const cases: [string, RegExp][] = [
    ['{{ variables.missing }}', /"variables\.missing" is not set/],
    ['{{ region }}', /"region" is not defined/],
    ['{{ name.first }}', /"name\.first" is not defined/],
    ['{{ name | upper }}', /is not a variable/],
    ['{{ }}', /is not a variable/],
  ];
  for (const [template, message] of cases) {
    assert.throws(
      () => renderTemplate(template, variables),
      (error: Error) => error instanceof TemplateError && message.test(error.message),
      template,
    );
  }
  const { ingress: _none, ...withoutIngress } = variables;
  assert.throws(() => renderTemplate('{{ ingress }}', withoutIngress), /no spec\.ingressRef/);
});
