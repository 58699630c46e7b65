import assert from 'node:assert/strict';
import { test } from 'node:test';
import { credentialsFromSecret, secretValues } from '../../../src/gitsync/source/credentials.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64');

test("a Secret's data with Flux's key names becomes credentials", () => {
  const credentials = credentialsFromSecret({
    username: b64('bot'),
    password: b64('s3cret'),
    bearerToken: b64('tok'),
    identity: b64('-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n'),
    known_hosts: b64('github.com ssh-ed25519 AAAA'),
    'ca.crt': b64('ignored'),
    empty: '',
  });
  assert.deepEqual(credentials, {
    username: 'bot',
    password: 's3cret',
    bearerToken: 'tok',
    identity: '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n',
    knownHosts: 'github.com ssh-ed25519 AAAA',
  });
  assert.deepEqual(credentialsFromSecret({ username: b64('bot'), password: '' }), { username: 'bot' });
});

test('the values to scrub include the password as a Basic header and URL-encoded', () => {
  const values = secretValues({ username: 'bot', password: 'p@ss word', identity: 'short\nAAAAB3NzaC1yc2EAAAADAQABAAABAQ\n' });
  assert.ok(values.includes('p@ss word'));
  assert.ok(values.includes(b64('bot:p@ss word')));
  assert.ok(values.includes('p%40ss%20word'));
  assert.ok(values.includes('AAAAB3NzaC1yc2EAAAADAQABAAABAQ'));
  assert.ok(!values.includes('bot'), 'a user name is no secret');
  assert.deepEqual(secretValues(undefined), []);
});
