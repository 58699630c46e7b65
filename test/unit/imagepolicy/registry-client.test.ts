// The client against tiny in-process registries that behave in ways the real registry in the
// integration tests does not: paging tag lists (distribution 2.8 ignores ?n=), HEAD without a
// digest header, pagination loops, and servers that echo credentials back.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { test, type TestContext } from 'node:test';
import { RegistryClient, RegistryError } from '../../../src/imagepolicy/registry/registry-client.ts';

const PASSWORD = 'hunter2-secret';

async function fakeRegistry(t: TestContext, handle: (request: IncomingMessage, response: ServerResponse, url: URL) => void) {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    handle(request, response, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { repo: { registry: `127.0.0.1:${(server.address() as { port: number }).port}`, path: 'team/app' }, requests };
}

/** Pages like distribution 3 does: ?n= per page, ?last= the tag to continue after. */
function pagedTags(tags: string[], url: URL, response: ServerResponse, link: (next: string) => string) {
  const n = Number(url.searchParams.get('n') ?? tags.length);
  const last = url.searchParams.get('last');
  const start = last ? tags.indexOf(last) + 1 : 0;
  const page = tags.slice(start, start + n);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (start + n < tags.length) headers.Link = `<${link(`/v2/team/app/tags/list?n=${n}&last=${page.at(-1)}`)}>; rel="next"`;
  response.writeHead(200, headers).end(JSON.stringify({ name: 'team/app', tags: page }));
}

const sevenTags = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'];

test('listTags: follows relative next links page by page', async (t) => {
  const { repo, requests } = await fakeRegistry(t, (_, response, url) => pagedTags(sevenTags, url, response, (next) => next));
  assert.deepEqual(await new RegistryClient({ insecure: true, pageSize: 3 }).listTags(repo), sevenTags);
  assert.deepEqual(requests, [
    'GET /v2/team/app/tags/list?n=3',
    'GET /v2/team/app/tags/list?n=3&last=v3',
    'GET /v2/team/app/tags/list?n=3&last=v6',
  ]);
});

test('listTags: an absolute next link to another host is followed on the registry itself', async (t) => {
  const { repo, requests } = await fakeRegistry(t, (_, response, url) =>
    pagedTags(sevenTags, url, response, (next) => `https://elsewhere.invalid${next}`),
  );
  assert.deepEqual(await new RegistryClient({ insecure: true, pageSize: 5 }).listTags(repo), sevenTags);
  assert.equal(requests.length, 2);
});

test('listTags: a registry that links back to a page already read is an error, not an endless poll', async (t) => {
  const { repo } = await fakeRegistry(t, (_, response) => {
    response.writeHead(200, { Link: '</v2/team/app/tags/list?n=2&last=a>; rel="next"' }).end('{"tags":["a","b"]}');
  });
  await assert.rejects(
    new RegistryClient({ insecure: true, pageSize: 2 }).listTags(repo),
    (error: Error) => error instanceof RegistryError && /same page twice/.test(error.message),
  );
});

test('listTags: "tags": null is an empty list', async (t) => {
  const { repo } = await fakeRegistry(t, (_, response) => response.writeHead(200).end('{"name":"team/app","tags":null}'));
  assert.deepEqual(await new RegistryClient({ insecure: true }).listTags(repo), []);
});

test('tagDigest: when HEAD carries no digest, the digest is the sha256 of the manifest bytes', async (t) => {
  const manifest =
    '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":"sha256:00"},"layers":[]}\n';
  const { repo, requests } = await fakeRegistry(t, (request, response) => {
    response
      .writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' })
      .end(request.method === 'HEAD' ? undefined : manifest);
  });
  const digest = await new RegistryClient({ insecure: true }).tagDigest(repo, 'v1');
  assert.equal(digest, `sha256:${createHash('sha256').update(manifest).digest('hex')}`);
  assert.deepEqual(requests, ['HEAD /v2/team/app/manifests/v1', 'GET /v2/team/app/manifests/v1']);
});

test('a registry that echoes the credentials it refused does not get them into the error', async (t) => {
  const { repo } = await fakeRegistry(t, (request, response) => {
    const sent = request.headers.authorization ?? '';
    const decoded = Buffer.from(sent.replace(/^Basic /, ''), 'base64').toString('utf8');
    response
      .writeHead(401, { 'WWW-Authenticate': 'Basic realm="fake"' })
      .end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: `refused ${sent} (${decoded})` }] }));
  });
  const client = new RegistryClient({ insecure: true, credentials: { username: 'alice', password: PASSWORD } });
  await assert.rejects(client.listTags(repo), (error: Error) => {
    assert.ok(error instanceof RegistryError);
    assert.equal(error.status, 401);
    assert.match(error.message, /answered 401 for the tags of team\/app with the credentials of user "alice": UNAUTHORIZED refused/);
    assert.ok(!error.message.includes(PASSWORD), error.message);
    assert.ok(!error.message.includes(Buffer.from(`alice:${PASSWORD}`).toString('base64')), error.message);
    return true;
  });
});

test('a token server that echoes the password does not get it into the error', async (t) => {
  let realm = '';
  const { repo } = await fakeRegistry(t, (request, response, url) => {
    if (url.pathname === '/token') {
      response.writeHead(500).end(`cannot check ${request.headers.authorization} ${PASSWORD}`);
      return;
    }
    response.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${realm}",service="fake"` }).end();
  });
  realm = `http://${repo.registry}/token`;
  const client = new RegistryClient({ insecure: true, credentials: { username: 'alice', password: PASSWORD } });
  await assert.rejects(client.tagDigest(repo, 'v1'), (error: Error) => {
    assert.ok(error instanceof RegistryError);
    assert.equal(error.status, 500);
    assert.match(
      error.message,
      /^token server http:\/\/127\.0\.0\.1:\d+\/token of registry 127\.0\.0\.1:\d+ answered 500 for a token for repository:team\/app:pull/,
    );
    assert.ok(!error.message.includes(PASSWORD), error.message);
    assert.ok(!error.message.includes(Buffer.from(`alice:${PASSWORD}`).toString('base64')), error.message);
    return true;
  });
});
