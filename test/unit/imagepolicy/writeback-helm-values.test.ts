import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHelmKeyPath } from '../../../src/imagepolicy/writeback/helm-key-path.ts';
import { updateHelmValues } from '../../../src/imagepolicy/writeback/helm-values.ts';
import type { ImageChoice } from '../../../src/imagepolicy/writeback/image-choice.ts';
import { WriteBackError } from '../../../src/imagepolicy/writeback/write-back-error.ts';

const podinfo: ImageChoice = { policy: 'apps:podinfo', repository: 'reg.local:5000/apps/podinfo', tag: '1.1.0', digest: 'sha256:1111' };

function refusal(pattern: RegExp) {
  return (error: unknown) => error instanceof WriteBackError && pattern.test(error.message);
}

const values = `# Default values for podinfo.
replicaCount: 1

image:
    repository: ghcr.io/stefanprodan/podinfo   # upstream
    tag: "6.0.0"
    digest: ''
    pullPolicy: IfNotPresent

sidecars:
  - name: proxy
    image: 'reg.local:5000/apps/proxy:1.0.0'
`;

test('named keys get their parts, each in its own style, and nothing else moves', () => {
  const result = updateHelmValues(values, podinfo, [
    { path: 'image.repository', part: 'repository' },
    { path: 'image.tag', part: 'tag' },
    { path: 'image.digest', part: 'digest' },
    { path: 'sidecars.0.image', part: 'reference' },
  ]);
  assert.equal(
    result.text,
    `# Default values for podinfo.
replicaCount: 1

image:
    repository: reg.local:5000/apps/podinfo   # upstream
    tag: "1.1.0"
    digest: 'sha256:1111'
    pullPolicy: IfNotPresent

sidecars:
  - name: proxy
    image: 'reg.local:5000/apps/podinfo:1.1.0'
`,
  );
  assert.deepEqual(result.changes, [
    { line: 5, from: 'ghcr.io/stefanprodan/podinfo', to: 'reg.local:5000/apps/podinfo' },
    { line: 6, from: '6.0.0', to: '1.1.0' },
    { line: 7, from: '', to: 'sha256:1111' },
    { line: 12, from: 'reg.local:5000/apps/proxy:1.0.0', to: 'reg.local:5000/apps/podinfo:1.1.0' },
  ]);
  assert.deepEqual(result.problems, []);
});

test('a key with a dot in it is named with a backslash', () => {
  const text = 'podAnnotations:\n  example.com/image: reg/app:1.0\n  example:\n    com/image: untouched\n';
  const result = updateHelmValues(text, podinfo, [{ path: 'podAnnotations.example\\.com/image', part: 'reference' }]);
  assert.equal(
    result.text,
    'podAnnotations:\n  example.com/image: reg.local:5000/apps/podinfo:1.1.0\n  example:\n    com/image: untouched\n',
  );
});

test('missing keys are an error, all named, and nothing is invented', () => {
  assert.throws(
    () =>
      updateHelmValues(values, podinfo, [
        { path: 'image.tag', part: 'tag' },
        { path: 'image.version', part: 'tag' },
        { path: 'controller.image.tag', part: 'tag' },
        { path: 'sidecars.3.image', part: 'reference' },
        { path: 'replicaCount.tag', part: 'tag' },
      ]),
    refusal(
      /values key "image\.version" is missing: no key "version" under image; values key "controller\.image\.tag" is missing: no key "controller"; values key "sidecars\.3\.image" is missing: no item 3 under sidecars; values key "replicaCount\.tag" is missing: no key "tag" under replicaCount, which is not a map$/,
    ),
  );
});

test('a key whose value is a map is an error', () => {
  assert.throws(
    () => updateHelmValues(values, podinfo, [{ path: 'image', part: 'reference' }]),
    refusal(/values key "image" is a map, list or alias, not a single value/),
  );
});

test('an empty value is filled in', () => {
  const result = updateHelmValues('image:\n  tag:\n  pullPolicy: Always\n', podinfo, [{ path: 'image.tag', part: 'tag' }]);
  assert.equal(result.text, 'image:\n  tag: 1.1.0\n  pullPolicy: Always\n');
});

test('a digest key without a known digest is reported and left alone', () => {
  const { digest: _, ...withoutDigest } = podinfo;
  const result = updateHelmValues(values, withoutDigest, [
    { path: 'image.digest', part: 'digest' },
    { path: 'image.tag', part: 'tag' },
  ]);
  assert.equal(result.text, values.replace('tag: "6.0.0"', 'tag: "1.1.0"'));
  assert.deepEqual(result.problems, [
    'line 7: values key "image.digest" wants the digest, but none is known for reg.local:5000/apps/podinfo:1.1.0; left alone',
  ]);
});

test('CRLF values keep their line endings', () => {
  const result = updateHelmValues('image:\r\n  tag: 1.0.0\r\n  repository: x\r\n', podinfo, [{ path: 'image.tag', part: 'tag' }]);
  assert.equal(result.text, 'image:\r\n  tag: 1.1.0\r\n  repository: x\r\n');
});

test('a second write-back of the same choice changes nothing, and a key named twice is one edit', () => {
  const keys = [
    { path: 'image.tag', part: 'tag' as const },
    { path: 'image.tag', part: 'tag' as const },
  ];
  const first = updateHelmValues(values, podinfo, keys);
  assert.equal(first.changes.length, 1);
  const second = updateHelmValues(first.text, podinfo, keys);
  assert.equal(second.text, first.text);
  assert.deepEqual(second.changes, []);
});

test('one key named for two different parts is an error', () => {
  assert.throws(
    () =>
      updateHelmValues(values, podinfo, [
        { path: 'image.tag', part: 'tag' },
        { path: 'image.tag', part: 'reference' },
      ]),
    refusal(/"image\.tag" is named twice for different values/),
  );
});

test('a block scalar value is refused', () => {
  assert.throws(
    () => updateHelmValues('image:\n  tag: >-\n    1.0.0\n', podinfo, [{ path: 'image.tag', part: 'tag' }]),
    refusal(/line 2: the value is a block scalar/),
  );
});

const keyPaths: { path: string; steps: string[] }[] = [
  { path: 'image.tag', steps: ['image', 'tag'] },
  { path: 'tag', steps: ['tag'] },
  { path: 'a\\.b.c', steps: ['a.b', 'c'] },
  { path: 'a\\\\.b', steps: ['a\\', 'b'] },
  { path: 'list.0.image', steps: ['list', '0', 'image'] },
];

for (const { path, steps } of keyPaths) {
  test(`parseHelmKeyPath ${path}`, () => {
    assert.deepEqual(parseHelmKeyPath(path), steps);
  });
}

test('parseHelmKeyPath refuses empty steps and a trailing backslash', () => {
  assert.throws(() => parseHelmKeyPath('image..tag'), refusal(/empty step/));
  assert.throws(() => parseHelmKeyPath('.tag'), refusal(/empty step/));
  assert.throws(() => parseHelmKeyPath('image.tag\\'), refusal(/lone backslash/));
});
