import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageRepository, registryApiHost, repositoryName } from '../../../src/imagepolicy/registry/image-repository.ts';

const valid: { image: string; registry: string; path: string }[] = [
  { image: 'nginx', registry: 'docker.io', path: 'library/nginx' },
  { image: 'bitnami/nginx', registry: 'docker.io', path: 'bitnami/nginx' },
  { image: 'docker.io/nginx', registry: 'docker.io', path: 'library/nginx' },
  { image: 'index.docker.io/library/nginx', registry: 'docker.io', path: 'library/nginx' },
  { image: 'ghcr.io/org/app', registry: 'ghcr.io', path: 'org/app' },
  { image: 'ghcr.io/org/team/app', registry: 'ghcr.io', path: 'org/team/app' },
  { image: '127.0.0.1:5000/team/app', registry: '127.0.0.1:5000', path: 'team/app' },
  { image: 'localhost:5000/app', registry: 'localhost:5000', path: 'app' },
  { image: 'localhost/app', registry: 'localhost', path: 'app' },
  { image: 'registry.example.com:443/a_b/c.d/e-f/g__h', registry: 'registry.example.com:443', path: 'a_b/c.d/e-f/g__h' },
  { image: '[::1]:5000/app', registry: '[::1]:5000', path: 'app' },
  { image: '  ghcr.io/org/app  ', registry: 'ghcr.io', path: 'org/app' },
];

for (const { image, registry, path } of valid) {
  test(`parseImageRepository: "${image}"`, () => {
    assert.deepEqual(parseImageRepository(image), { registry, path });
  });
}

const invalid: { image: string; reason: RegExp }[] = [
  { image: '', reason: /empty/ },
  { image: 'nginx:1.25', reason: /carries a tag/ },
  { image: 'ghcr.io/org/app:v1', reason: /carries a tag/ },
  { image: '127.0.0.1:5000/team/app:latest', reason: /carries a tag/ },
  { image: 'ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', reason: /carries a digest/ },
  { image: 'https://ghcr.io/org/app', reason: /URL scheme/ },
  { image: 'ghcr.io/Org/app', reason: /"Org" is not a valid path component/ },
  { image: 'ghcr.io//app', reason: /empty path component/ },
  { image: 'ghcr.io/org/app/', reason: /empty path component/ },
  { image: 'ghcr.io/org/-app', reason: /"-app" is not a valid path component/ },
  { image: 'bad_host.io/app', reason: /"bad_host.io" is not a registry host/ },
  { image: `ghcr.io/${'a'.repeat(256)}`, reason: /longer than 255/ },
];

for (const { image, reason } of invalid) {
  test(`parseImageRepository rejects "${image.slice(0, 60)}"`, () => {
    assert.throws(
      () => parseImageRepository(image),
      (error: Error) => error.message.startsWith(JSON.stringify(image.slice(0, 80)).slice(0, -1)) && reason.test(error.message),
    );
  });
}

test('registryApiHost: Docker Hub is served from registry-1.docker.io, other registries from their own host', () => {
  assert.equal(registryApiHost(parseImageRepository('nginx')), 'registry-1.docker.io');
  assert.equal(registryApiHost(parseImageRepository('127.0.0.1:5000/team/app')), '127.0.0.1:5000');
  assert.equal(registryApiHost(parseImageRepository('ghcr.io/org/app')), 'ghcr.io');
});

test('repositoryName: one spelling for every way of writing the same repository', () => {
  assert.equal(repositoryName(parseImageRepository('nginx')), 'docker.io/library/nginx');
  assert.equal(repositoryName(parseImageRepository('index.docker.io/library/nginx')), 'docker.io/library/nginx');
  assert.equal(repositoryName(parseImageRepository('GHCR.io/org/app')), 'ghcr.io/org/app');
  assert.equal(repositoryName(parseImageRepository('127.0.0.1:5000/team/app')), '127.0.0.1:5000/team/app');
});

test('a rejected image is quoted JSON-escaped and cut short, never repeated whole', () => {
  assert.throws(
    () => parseImageRepository(`ghcr.io/org/\u001b[31m${'A'.repeat(100_000)}`),
    (error: Error) => error.message.length < 400 && error.message.includes('\\u001b') && !error.message.includes('\u001b'),
  );
});
