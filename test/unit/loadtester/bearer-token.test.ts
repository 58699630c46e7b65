// The token check of every load tester request but GET /healthz.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerToken, carriesToken } from '../../../src/loadtester/bearer-token.ts';

test('only the expected token in the Bearer scheme passes', () => {
  const cases: [authorization: string | undefined, expected: string, passes: boolean][] = [
    ['Bearer s3cret', 's3cret', true],
    ['bearer s3cret', 's3cret', true],
    ['BEARER   s3cret  ', 's3cret', true],
    [undefined, 's3cret', false],
    ['', 's3cret', false],
    ['s3cret', 's3cret', false],
    ['Basic s3cret', 's3cret', false],
    ['Bearer', 's3cret', false],
    ['Bearer ', 's3cret', false],
    ['Bearer s3cre', 's3cret', false],
    ['Bearer s3cret2', 's3cret', false],
    ['Bearer S3CRET', 's3cret', false],
    ['Bearer s3cret', '', false],
    ['Bearer ', '', false],
    [undefined, '', false],
  ];
  for (const [authorization, expected, passes] of cases) {
    assert.equal(carriesToken(authorization, expected), passes, `${JSON.stringify(authorization)} against ${JSON.stringify(expected)}`);
  }
});

test('the token of a header is what follows the Bearer scheme, trimmed', () => {
  const cases: [authorization: string | undefined, token: string | undefined][] = [
    ['Bearer abc.def-ghi', 'abc.def-ghi'],
    ['Bearer  two words ', 'two words'],
    ['Bearerabc', undefined],
    ['Token abc', undefined],
    [undefined, undefined],
  ];
  for (const [authorization, token] of cases) assert.equal(bearerToken(authorization), token, JSON.stringify(authorization));
});
