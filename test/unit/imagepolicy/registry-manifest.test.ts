import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createdFromConfig,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  OCI_INDEX,
  OCI_MANIFEST,
  parseManifest,
} from '../../../src/imagepolicy/registry/manifest.ts';
import { formatPlatform, parsePlatform, selectPlatform } from '../../../src/imagepolicy/registry/platform.ts';

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const index = (mediaType: string) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType,
    manifests: [
      { mediaType: OCI_MANIFEST, digest: digest(1), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: OCI_MANIFEST, digest: digest(2), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      { mediaType: OCI_MANIFEST, digest: digest(3), size: 1, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
    ],
  });

for (const mediaType of [OCI_INDEX, DOCKER_MANIFEST_LIST]) {
  test(`parseManifest: ${mediaType} lists its platforms`, () => {
    assert.deepEqual(parseManifest(index(mediaType), 'application/json'), {
      kind: 'index',
      manifests: [
        { mediaType: OCI_MANIFEST, digest: digest(1), platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: OCI_MANIFEST, digest: digest(2), platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
        { mediaType: OCI_MANIFEST, digest: digest(3) },
      ],
    });
  });
}

for (const mediaType of [OCI_MANIFEST, DOCKER_MANIFEST]) {
  test(`parseManifest: ${mediaType} names its config`, () => {
    const body = JSON.stringify({ schemaVersion: 2, mediaType, config: { digest: digest(4) }, layers: [] });
    assert.deepEqual(parseManifest(body, null), { kind: 'image', configDigest: digest(4) });
  });
}

test('parseManifest: without mediaType in the body, the Content-Type decides', () => {
  const body = JSON.stringify({ schemaVersion: 2, config: { digest: digest(5) }, layers: [] });
  assert.deepEqual(parseManifest(body, `${OCI_MANIFEST}; charset=utf-8`), { kind: 'image', configDigest: digest(5) });
});

test('parseManifest: unsupported or broken manifests are errors that say why', () => {
  assert.throws(
    () => parseManifest('{"schemaVersion":1,"mediaType":"application/vnd.docker.distribution.manifest.v1+prettyjws"}', null),
    /unsupported media type "application\/vnd.docker.distribution.manifest.v1\+prettyjws"/,
  );
  assert.throws(() => parseManifest('{', OCI_MANIFEST), /not valid JSON/);
  assert.throws(() => parseManifest(JSON.stringify({ mediaType: OCI_MANIFEST, config: {} }), null), /names no config blob/);
});

test('createdFromConfig: the created date, or undefined when absent or unreadable', () => {
  assert.deepEqual(
    createdFromConfig('{"created":"2024-05-06T07:08:09.123456789Z","architecture":"amd64"}'),
    new Date('2024-05-06T07:08:09.123Z'),
  );
  assert.equal(createdFromConfig('{"architecture":"amd64"}'), undefined);
  assert.equal(createdFromConfig('{"created":"yesterday"}'), undefined);
  assert.throws(() => createdFromConfig('nope'), /not valid JSON/);
});

test('parsePlatform and formatPlatform round-trip; malformed platforms are errors', () => {
  assert.deepEqual(parsePlatform('linux/arm64'), { os: 'linux', architecture: 'arm64' });
  assert.deepEqual(parsePlatform('linux/arm/v7'), { os: 'linux', architecture: 'arm', variant: 'v7' });
  assert.equal(formatPlatform(parsePlatform('linux/arm/v7')), 'linux/arm/v7');
  for (const bad of ['linux', 'linux/', '/amd64', 'linux/arm/', 'a/b/c/d'])
    assert.throws(() => parsePlatform(bad), /is not a platform/, bad);
});

const entries = [
  { name: 'amd64', platform: { os: 'linux', architecture: 'amd64' } },
  { name: 'arm64', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
  { name: 'armv6', platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
  { name: 'armv7', platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
  { name: 'windows', platform: { os: 'windows', architecture: 'amd64' } },
  { name: 'attestation' },
];

const selections: { wanted: string; chosen: string | undefined }[] = [
  { wanted: 'linux/amd64', chosen: 'amd64' },
  { wanted: 'windows/amd64', chosen: 'windows' },
  { wanted: 'linux/arm64', chosen: 'arm64' }, // arm64 means v8
  { wanted: 'linux/arm64/v8', chosen: 'arm64' },
  { wanted: 'linux/arm/v7', chosen: 'armv7' },
  { wanted: 'linux/arm', chosen: 'armv6' }, // no variant asked: the first arm will do
  { wanted: 'linux/arm/v5', chosen: undefined },
  { wanted: 'linux/s390x', chosen: undefined },
];

for (const { wanted, chosen } of selections) {
  test(`selectPlatform: ${wanted} → ${chosen ?? 'nothing'}`, () => {
    assert.equal(selectPlatform(entries, parsePlatform(wanted))?.name, chosen);
  });
}

test('selectPlatform: an arm64 entry without a variant serves linux/arm64/v8', () => {
  assert.equal(
    selectPlatform([{ platform: { os: 'linux', architecture: 'arm64' } }], parsePlatform('linux/arm64/v8'))?.platform?.architecture,
    'arm64',
  );
});
