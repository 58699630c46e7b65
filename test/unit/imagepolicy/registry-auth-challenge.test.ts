import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAuthChallenges, preferredChallenge } from '../../../src/imagepolicy/registry/auth-challenge.ts';

test('parseAuthChallenges: a Bearer challenge as Docker Hub sends it', () => {
  const header = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"';
  assert.deepEqual(parseAuthChallenges(header), [
    {
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' },
    },
  ]);
});

test('parseAuthChallenges: commas inside quoted values, escaped quotes, spaces around "="', () => {
  const header =
    'Bearer realm="https://auth.example/token", scope="repository:a:pull,push" , error = "insufficient_scope", note="say \\"hi\\""';
  assert.deepEqual(parseAuthChallenges(header)[0]?.params, {
    realm: 'https://auth.example/token',
    scope: 'repository:a:pull,push',
    error: 'insufficient_scope',
    note: 'say "hi"',
  });
});

test('parseAuthChallenges: Basic with an unquoted realm', () => {
  assert.deepEqual(parseAuthChallenges('Basic realm=Registry'), [{ scheme: 'basic', params: { realm: 'Registry' } }]);
});

test('parseAuthChallenges: several challenges joined into one header', () => {
  const challenges = parseAuthChallenges('Basic realm="Registry Realm", Bearer realm="https://t.example/token",service="reg"');
  assert.deepEqual(challenges, [
    { scheme: 'basic', params: { realm: 'Registry Realm' } },
    { scheme: 'bearer', params: { realm: 'https://t.example/token', service: 'reg' } },
  ]);
});

test('parseAuthChallenges: a token68 challenge is skipped over, not mistaken for parameters', () => {
  const challenges = parseAuthChallenges('Negotiate abc123==, Basic realm="r"');
  assert.deepEqual(
    challenges.map((challenge) => challenge.scheme),
    ['negotiate', 'basic'],
  );
  assert.deepEqual(challenges[1]?.params, { realm: 'r' });
});

test('parseAuthChallenges: an empty header has no challenges', () => {
  assert.deepEqual(parseAuthChallenges(''), []);
});

test('preferredChallenge: Bearer over Basic, nothing when neither is offered', () => {
  assert.equal(preferredChallenge(parseAuthChallenges('Basic realm="r", Bearer realm="t"'))?.scheme, 'bearer');
  assert.equal(preferredChallenge(parseAuthChallenges('Basic realm="r"'))?.scheme, 'basic');
  assert.equal(preferredChallenge(parseAuthChallenges('Digest realm="r", nonce="n"')), undefined);
});
