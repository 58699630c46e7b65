// The registry client against a real registry on loopback: Debian's docker-registry (distribution
// 2.8), open, behind htpasswd Basic auth, and behind Bearer tokens from a token server. No
// Kubernetes cluster is involved.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test, type TestContext } from 'node:test';
import { RegistryClient, RegistryError } from '../../src/imagepolicy/registry/registry-client.ts';
import type { ImageRepository } from '../../src/imagepolicy/registry/image-repository.ts';
import { startContainerRegistry, type ContainerRegistry, type ContainerRegistryOptions } from '../helpers/container-registry.ts';
import { eventually } from '../helpers/eventually.ts';

async function registry(t: TestContext, options?: ContainerRegistryOptions): Promise<ContainerRegistry> {
  const started = await startContainerRegistry(options);
  t.after(() => started.close());
  return started;
}

const repoOn = (started: ContainerRegistry, path = 'team/app'): ImageRepository => ({ registry: started.host, path });
const refused = (status: number, pattern: RegExp, password?: string) => (error: unknown) =>
  error instanceof RegistryError &&
  error.status === status &&
  pattern.test(error.message) &&
  (password === undefined || !error.message.includes(password));

test('listTags returns every tag, whatever the page size', async (t) => {
  const started = await registry(t);
  const tags = ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v2.0.0', 'v2.1.0', 'latest', 'main-3f2a1c'];
  for (const tag of tags) await started.pushImage('team/app', tag);
  // distribution 2.8 ignores ?n= on tag lists and answers in one page; the pages of registries
  // that do split the list are covered in test/unit/imagepolicy/registry-client.test.ts.
  for (const pageSize of [3, 100]) {
    const listed = await new RegistryClient({ insecure: true, pageSize }).listTags(repoOn(started));
    assert.deepEqual(listed.toSorted(), tags.toSorted(), `page size ${pageSize}`);
  }
});

test('tagDigest is the digest that was pushed, for a single manifest and for an index', async (t) => {
  const started = await registry(t);
  const single = await started.pushImage('team/app', 'single');
  const multi = await started.pushImage('team/app', 'multi', { platforms: ['linux/amd64', 'linux/arm64'] });
  const client = new RegistryClient({ insecure: true });
  assert.equal(await client.tagDigest(repoOn(started), 'single'), single.digest);
  assert.equal(await client.tagDigest(repoOn(started), 'multi'), multi.digest);
  assert.notEqual(single.digest, multi.digest);
});

test('imageCreated reads the creation date from the image config', async (t) => {
  const started = await registry(t);
  const created = new Date('2024-03-04T05:06:07.890Z');
  await started.pushImage('team/app', 'v1', { created });
  assert.deepEqual(await new RegistryClient({ insecure: true }).imageCreated(repoOn(started), 'v1'), created);
});

test('imageCreated picks the platform out of an index; an unknown platform names the ones there are', async (t) => {
  const started = await registry(t);
  const amd64 = new Date('2024-01-01T00:00:00.000Z');
  const arm64 = new Date('2025-06-30T12:00:00.000Z');
  await started.pushImage('team/app', 'v1', {
    platforms: ['linux/amd64', 'linux/arm64'],
    createdByPlatform: { 'linux/amd64': amd64, 'linux/arm64': arm64 },
  });
  const client = new RegistryClient({ insecure: true });
  assert.deepEqual(await client.imageCreated(repoOn(started), 'v1'), amd64, 'linux/amd64 by default');
  assert.deepEqual(await client.imageCreated(repoOn(started), 'v1', 'linux/amd64'), amd64);
  assert.deepEqual(await client.imageCreated(repoOn(started), 'v1', 'linux/arm64'), arm64);
  await assert.rejects(
    client.imageCreated(repoOn(started), 'v1', 'linux/s390x'),
    (error: unknown) =>
      error instanceof RegistryError &&
      error.message === `${started.host}/team/app:v1 has no image for platform linux/s390x; it has linux/amd64, linux/arm64`,
  );
});

test('an unknown repository or tag is a RegistryError carrying the registry’s own words', async (t) => {
  const started = await registry(t);
  await started.pushImage('team/app', 'v1');
  const client = new RegistryClient({ insecure: true });
  await assert.rejects(
    client.listTags(repoOn(started, 'team/missing')),
    refused(
      404,
      new RegExp(
        `^registry ${started.host} answered 404 for the tags of team/missing: NAME_UNKNOWN repository name not known to registry$`,
      ),
    ),
  );
  await assert.rejects(
    client.imageCreated(repoOn(started), 'v9'),
    refused(404, /answered 404 for the manifest of team\/app:v9: MANIFEST_UNKNOWN manifest unknown/),
  );
  // HEAD answers carry no body: the status says it all.
  await assert.rejects(client.tagDigest(repoOn(started), 'v9'), refused(404, /answered 404 for the manifest of team\/app:v9$/));
});

test('basic auth: the right credentials read; none or wrong ones are refused without leaking the password', async (t) => {
  const started = await registry(t, { auth: 'basic' });
  const credentials = started.credentials;
  assert.ok(credentials);
  const pushed = await started.pushImage('team/app', 'v1');
  const client = new RegistryClient({ insecure: true, credentials });
  assert.deepEqual(await client.listTags(repoOn(started)), ['v1']);
  assert.equal(await client.tagDigest(repoOn(started), 'v1'), pushed.digest);

  await assert.rejects(
    new RegistryClient({ insecure: true }).listTags(repoOn(started)),
    refused(401, /answered 401 for the tags of team\/app and no credentials are configured/),
  );
  const wrong = { username: credentials.username, password: `${credentials.password}-wrong` };
  await assert.rejects(
    new RegistryClient({ insecure: true, credentials: wrong }).listTags(repoOn(started)),
    refused(401, /answered 401 for the tags of team\/app with the credentials of user "wren-tester": UNAUTHORIZED/, credentials.password),
  );
});

test('token auth: the client fetches one token and reuses it; wrong credentials are refused by the token server', async (t) => {
  const started = await registry(t, { auth: 'token' });
  const credentials = started.credentials;
  assert.ok(credentials);
  const created = new Date('2024-09-09T09:09:09.000Z');
  const pushed = await started.pushImage('team/app', 'v1', { created });
  const tokensBefore = started.tokenRequests();
  const client = new RegistryClient({ insecure: true, credentials });
  assert.deepEqual(await client.listTags(repoOn(started)), ['v1']);
  assert.equal(await client.tagDigest(repoOn(started), 'v1'), pushed.digest);
  assert.deepEqual(await client.imageCreated(repoOn(started), 'v1'), created);
  assert.equal(started.tokenRequests() - tokensBefore, 1, 'one token for the pull scope, reused for every request');

  const wrong = { username: credentials.username, password: `${credentials.password}-wrong` };
  await assert.rejects(
    new RegistryClient({ insecure: true, credentials: wrong }).listTags(repoOn(started)),
    refused(
      401,
      /^token server http:\/\/127\.0\.0\.1:\d+\/token of registry .* answered 401 for a token for repository:team\/app:pull with the credentials of user "wren-tester"/,
      credentials.password,
    ),
  );
  await assert.rejects(
    new RegistryClient({ insecure: true }).listTags(repoOn(started)),
    refused(401, /answered 401 for a token for repository:team\/app:pull without credentials/),
  );
});

test('the registry notifies a webhook of each push, naming repository, tag and digest', async (t) => {
  const envelopes: {
    events?: { action?: string; target?: { repository?: string; tag?: string; digest?: string; mediaType?: string } }[];
  }[] = [];
  const headers: string[] = [];
  const receiver = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      envelopes.push(JSON.parse(body) as (typeof envelopes)[number]);
      headers.push(String(request.headers['x-wren-test']));
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    receiver.closeAllConnections();
    receiver.close();
  });
  const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/events`;
  const started = await registry(t, { notifications: { url, headers: { 'X-Wren-Test': 'registry-events' } } });

  const pushed = await started.pushImage('team/app', 'v7');
  const event = await eventually('a push event for team/app:v7', () =>
    envelopes
      .flatMap((envelope) => envelope.events ?? [])
      .find((candidate) => candidate.action === 'push' && candidate.target?.tag === 'v7'),
  );
  assert.equal(event.target?.repository, 'team/app');
  assert.equal(event.target?.digest, pushed.digest);
  assert.equal(event.target?.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  assert.ok(
    headers.every((value) => value === 'registry-events'),
    `headers sent: ${headers.join(', ')}`,
  );
});
