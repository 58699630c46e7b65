import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchingPolicies } from '../../../src/server/registry-webhook/match.ts';
import { pushedImages } from '../../../src/server/registry-webhook/pushed-images.ts';

describe('pushedImages', () => {
  it('reads distribution notifications, skipping blob uploads and pulls', () => {
    const payload = {
      events: [
        {
          action: 'push',
          target: { mediaType: 'application/octet-stream', repository: 'team/app', digest: 'sha256:1' },
          request: { host: '127.0.0.1:5000' },
        },
        {
          action: 'push',
          target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', repository: 'team/app', tag: 'v2' },
          request: { host: '127.0.0.1:5000' },
        },
        { action: 'pull', target: { repository: 'team/other', tag: 'v1' } },
      ],
    };
    assert.deepEqual(pushedImages(payload), [{ host: '127.0.0.1:5000', path: 'team/app', tag: 'v2' }]);
  });
  it('reads Docker Hub, official images under library/', () => {
    assert.deepEqual(pushedImages({ push_data: { tag: '1.0' }, repository: { repo_name: 'nginx' } }), [
      { host: 'docker.io', path: 'library/nginx', tag: '1.0' },
    ]);
    assert.deepEqual(pushedImages({ push_data: { tag: '1.0' }, repository: { repo_name: 'org/app' } }), [
      { host: 'docker.io', path: 'org/app', tag: '1.0' },
    ]);
  });
  it('reads Harbor, the host from the resource URL', () => {
    const payload = {
      type: 'PUSH_ARTIFACT',
      event_data: {
        resources: [{ tag: 'v3', resource_url: 'harbor.example.com/project/app:v3' }],
        repository: { repo_full_name: 'project/app' },
      },
    };
    assert.deepEqual(pushedImages(payload), [{ host: 'harbor.example.com', path: 'project/app', tag: 'v3' }]);
  });
  it('reads the generic form and ignores what it does not know', () => {
    assert.deepEqual(pushedImages({ repository: 'ghcr.io/org/app', tag: 'x' }), [{ host: 'ghcr.io', path: 'org/app', tag: 'x' }]);
    assert.deepEqual(pushedImages({ hello: 'world' }), []);
    assert.deepEqual(pushedImages('text'), []);
  });
});

describe('matchingPolicies', () => {
  const policies = [
    { namespace: 'a', name: 'hub', image: 'nginx' },
    { namespace: 'a', name: 'local', image: '127.0.0.1:5000/team/app' },
    { namespace: 'b', name: 'ghcr', image: 'ghcr.io/team/app' },
    { namespace: 'b', name: 'broken', image: 'UPPER/Case' },
  ];
  const names = (pushed: Parameters<typeof matchingPolicies>[0]) => matchingPolicies(pushed, policies).map((policy) => policy.name);
  it('matches registry and path, Docker Hub under any of its names', () => {
    assert.deepEqual(names([{ host: 'index.docker.io', path: 'library/nginx' }]), ['hub']);
    assert.deepEqual(names([{ host: '127.0.0.1:5000', path: 'team/app' }]), ['local']);
  });
  it('matches the path alone when the delivery names no host', () => {
    assert.deepEqual(names([{ path: 'team/app' }]), ['local', 'ghcr']);
  });
  it('matches nothing for another registry or path', () => {
    assert.deepEqual(
      names([
        { host: 'quay.io', path: 'team/app' },
        { host: 'ghcr.io', path: 'team/web' },
      ]),
      [],
    );
  });
});
