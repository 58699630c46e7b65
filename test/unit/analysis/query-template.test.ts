import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeholdersOf, renderTemplate, TemplateError, type TemplateVariables } from '../../../src/analysis/query-template.ts';

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

test('variables.x finds only the variables the Canary set, never what every object inherits', () => {
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    assert.throws(
      () => renderTemplate(`{{ variables.${name} }}`, variables),
      (error: Error) => error instanceof TemplateError && error.message.includes(`"variables.${name}" is not set`),
      name,
    );
  }
  assert.equal(renderTemplate('{{ variables.constructor }}', { ...variables, variables: { constructor: 'set' } }), 'set');
});

test('an unclosed placeholder before a long run of spaces is read in one pass', () => {
  // The earlier pattern backtracked cubically here: 10 000 spaces took minutes, 100 000 forever.
  const spaces = ' '.repeat(200_000);
  assert.deepEqual(placeholdersOf(`{{${spaces}x`), []);
  assert.deepEqual(placeholdersOf(`{{ name }}{{${spaces}x }`), ['name']);
  assert.equal(renderTemplate(`{{${spaces}name${spaces}}}`, variables), 'podinfo');
});
