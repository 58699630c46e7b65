import assert from 'node:assert/strict';
import { test } from 'node:test';
import { credentialsFromDockerConfig } from '../../../src/imagepolicy/registry/docker-config.ts';

const SECRET = 'pa55:w0rd-very-secret';
const auth = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');
const config = (auths: Record<string, unknown>) => JSON.stringify({ auths });

test('credentialsFromDockerConfig: username and password fields', () => {
  const json = config({ 'ghcr.io': { username: 'alice', password: SECRET } });
  assert.deepEqual(credentialsFromDockerConfig(json, 'ghcr.io'), { username: 'alice', password: SECRET });
});

test('credentialsFromDockerConfig: the auth field, with a colon inside the password', () => {
  const json = config({ 'ghcr.io': { auth: auth('alice', SECRET) } });
  assert.deepEqual(credentialsFromDockerConfig(json, 'ghcr.io'), { username: 'alice', password: SECRET });
});

test('credentialsFromDockerConfig: an identity token goes to the token server as the password', () => {
  const json = config({ 'myreg.azurecr.io': { auth: auth('00000000-0000-0000-0000-000000000000', ''), identitytoken: 'refresh-token' } });
  assert.deepEqual(credentialsFromDockerConfig(json, 'myreg.azurecr.io'), {
    username: '00000000-0000-0000-0000-000000000000',
    password: 'refresh-token',
  });
});

const keyCases: { key: string; registry: string }[] = [
  { key: 'https://ghcr.io', registry: 'ghcr.io' },
  { key: 'https://ghcr.io/v1/', registry: 'ghcr.io' },
  { key: 'http://127.0.0.1:5000', registry: '127.0.0.1:5000' },
  { key: 'Registry.Example.com:5000/', registry: 'registry.example.com:5000' },
  { key: 'https://index.docker.io/v1/', registry: 'docker.io' },
  { key: 'index.docker.io', registry: 'docker.io' },
  { key: 'docker.io', registry: 'registry-1.docker.io' },
];

for (const { key, registry } of keyCases) {
  test(`credentialsFromDockerConfig: key "${key}" serves registry ${registry}`, () => {
    assert.deepEqual(credentialsFromDockerConfig(config({ [key]: { username: 'alice', password: SECRET } }), registry), {
      username: 'alice',
      password: SECRET,
    });
  });
}

test('credentialsFromDockerConfig: an exact key wins over another spelling of the same host', () => {
  const json = config({ 'https://ghcr.io': { username: 'other', password: 'x' }, 'ghcr.io': { username: 'alice', password: SECRET } });
  assert.equal(credentialsFromDockerConfig(json, 'ghcr.io')?.username, 'alice');
});

test('credentialsFromDockerConfig: no entry for the registry, including a port that differs', () => {
  const json = config({ 'ghcr.io': { username: 'alice', password: SECRET }, '127.0.0.1:5000': { username: 'bob', password: SECRET } });
  assert.equal(credentialsFromDockerConfig(json, 'quay.io'), undefined);
  assert.equal(credentialsFromDockerConfig(json, '127.0.0.1:5001'), undefined);
  assert.equal(credentialsFromDockerConfig(json, 'ghcr.io.evil.example'), undefined);
});

test('credentialsFromDockerConfig: the legacy .dockercfg layout without "auths"', () => {
  assert.deepEqual(credentialsFromDockerConfig(JSON.stringify({ 'quay.io': { auth: auth('carol', SECRET) } }), 'quay.io'), {
    username: 'carol',
    password: SECRET,
  });
});

const broken: { name: string; json: string }[] = [
  { name: 'invalid JSON', json: `{"auths": {"ghcr.io": {"password": "${SECRET}"` },
  { name: 'invalid JSON near the secret', json: `{"auths": {"ghcr.io": {"password": ${SECRET}}}}` },
  { name: 'not an object', json: JSON.stringify([SECRET]) },
  { name: 'auths not an object', json: JSON.stringify({ auths: SECRET }) },
  { name: 'an entry that is not an object', json: config({ 'ghcr.io': SECRET }) },
  { name: 'an auth without a colon', json: config({ 'ghcr.io': { auth: Buffer.from(SECRET.replace(':', '')).toString('base64') } }) },
];

for (const { name, json } of broken) {
  test(`credentialsFromDockerConfig: ${name} is a clear error that quotes no secret`, () => {
    assert.throws(
      () => credentialsFromDockerConfig(json, 'ghcr.io'),
      (error: Error) => /docker config/.test(error.message) && !error.message.includes('pa55') && !error.message.includes('very-secret'),
    );
  });
}
