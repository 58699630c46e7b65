import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeErrorBody, withoutSecrets } from '../../../src/imagepolicy/registry/registry-error.ts';

const bodies: { name: string; body: string; description: string }[] = [
  {
    name: "distribution's error list",
    body: '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry","detail":{"name":"team/app"}}]}',
    description: 'NAME_UNKNOWN repository name not known to registry',
  },
  {
    name: 'several errors',
    body: '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"},{"code":"DENIED"}]}',
    description: 'UNAUTHORIZED authentication required; DENIED',
  },
  {
    name: "a token server's OAuth error",
    body: '{"error":"invalid_grant","error_description":"bad password"}',
    description: 'invalid_grant: bad password',
  },
  { name: 'plain text, whitespace collapsed', body: '<html>\n  502 Bad Gateway\n</html>\n', description: '<html> 502 Bad Gateway </html>' },
  { name: 'an empty body', body: '  ', description: '' },
];

for (const { name, body, description } of bodies) {
  test(`describeErrorBody: ${name}`, () => {
    assert.equal(describeErrorBody(body), description);
  });
}

test('describeErrorBody: a long body is cut short', () => {
  const described = describeErrorBody('x'.repeat(5000));
  assert.ok(described.length <= 301, `${described.length} characters`);
});

test('withoutSecrets: every occurrence of every secret is replaced; absent and tiny secrets are ignored', () => {
  assert.equal(
    withoutSecrets('token abcd1234 and abcd1234, password hunter22', ['abcd1234', 'hunter22', undefined, 'a']),
    'token [redacted] and [redacted], password [redacted]',
  );
});
