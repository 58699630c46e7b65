import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImageChoice } from '../../../src/imagepolicy/writeback/image-choice.ts';
import { readSetterMarker } from '../../../src/imagepolicy/writeback/setter-marker.ts';
import { updateSetterMarkers } from '../../../src/imagepolicy/writeback/setters.ts';
import { WriteBackError } from '../../../src/imagepolicy/writeback/write-back-error.ts';

const podinfo: ImageChoice = { policy: 'apps:podinfo', repository: 'reg.local:5000/apps/podinfo', tag: '1.1.0' };

function refusal(pattern: RegExp) {
  return (error: unknown) => error instanceof WriteBackError && pattern.test(error.message);
}

test("a deployment: only the chosen policy's values change, every other byte stays", () => {
  const text = `# podinfo, written back by Wren
apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo   # keep this name
spec:
  template:
    spec:
      containers:
         - name: podinfo
           image: reg.local:5000/apps/podinfo:1.0.0 # {"$imagepolicy": "apps:podinfo"}

         - name: sidecar
           image: "reg.local:5000/apps/sidecar:2.0.0" # {"$imagepolicy": "apps:sidecar"}
      initContainers:
      - image: 'reg.local:5000/apps/podinfo:1.0.0'   #   {"$imagepolicy":"apps:podinfo"}
        args: ["--port", "9898"]  # flow list
`;
  const result = updateSetterMarkers(text, [podinfo]);
  assert.equal(
    result.text,
    `# podinfo, written back by Wren
apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo   # keep this name
spec:
  template:
    spec:
      containers:
         - name: podinfo
           image: reg.local:5000/apps/podinfo:1.1.0 # {"$imagepolicy": "apps:podinfo"}

         - name: sidecar
           image: "reg.local:5000/apps/sidecar:2.0.0" # {"$imagepolicy": "apps:sidecar"}
      initContainers:
      - image: 'reg.local:5000/apps/podinfo:1.1.0'   #   {"$imagepolicy":"apps:podinfo"}
        args: ["--port", "9898"]  # flow list
`,
  );
  assert.deepEqual(result.changes, [
    { line: 11, from: 'reg.local:5000/apps/podinfo:1.0.0', to: 'reg.local:5000/apps/podinfo:1.1.0' },
    { line: 16, from: 'reg.local:5000/apps/podinfo:1.0.0', to: 'reg.local:5000/apps/podinfo:1.1.0' },
  ]);
  assert.deepEqual(result.problems, []);
});

test('two chosen policies in one file are both written', () => {
  const text = 'a: reg/a:1 # {"$imagepolicy": "apps:a"}\nb: reg/b:1 # {"$imagepolicy": "apps:b"}\n';
  const result = updateSetterMarkers(text, [
    { policy: 'apps:a', repository: 'reg/a', tag: '2' },
    { policy: 'apps:b', repository: 'reg/b', tag: '3' },
  ]);
  assert.equal(result.text, 'a: reg/a:2 # {"$imagepolicy": "apps:a"}\nb: reg/b:3 # {"$imagepolicy": "apps:b"}\n');
});

test('tag, name and digest markers set only their part, in the style of each value', () => {
  const text = `values:
  repository: reg.local:5000/apps/podinfo # {"$imagepolicy": "apps:podinfo:name"}
  tag: '1.0.0' # {"$imagepolicy": "apps:podinfo:tag"}
  digest: "sha256:0000" # {"$imagepolicy": "apps:podinfo:digest"}
  pullPolicy: IfNotPresent
`;
  const choice = { ...podinfo, repository: 'reg.local:5000/apps/podinfo-v2', digest: 'sha256:1111' };
  const result = updateSetterMarkers(text, [choice]);
  assert.equal(
    result.text,
    `values:
  repository: reg.local:5000/apps/podinfo-v2 # {"$imagepolicy": "apps:podinfo:name"}
  tag: '1.1.0' # {"$imagepolicy": "apps:podinfo:tag"}
  digest: "sha256:1111" # {"$imagepolicy": "apps:podinfo:digest"}
  pullPolicy: IfNotPresent
`,
  );
  assert.deepEqual(result.changes, [
    { line: 2, from: 'reg.local:5000/apps/podinfo', to: 'reg.local:5000/apps/podinfo-v2' },
    { line: 3, from: '1.0.0', to: '1.1.0' },
    { line: 4, from: 'sha256:0000', to: 'sha256:1111' },
  ]);
});

test('a pinned digest makes the full reference repository:tag@digest', () => {
  const text = 'image: reg.local:5000/apps/podinfo:1.0.0 # {"$imagepolicy": "apps:podinfo"}\n';
  const result = updateSetterMarkers(text, [{ ...podinfo, digest: 'sha256:1111', pinDigest: true }]);
  assert.equal(result.text, 'image: reg.local:5000/apps/podinfo:1.1.0@sha256:1111 # {"$imagepolicy": "apps:podinfo"}\n');
});

test('bare list items, several documents and CRLF line endings', () => {
  const lines = [
    '# images to mirror',
    'images:',
    '- reg.local:5000/apps/podinfo:1.0.0 # {"$imagepolicy": "apps:podinfo"}',
    '- reg.local:5000/apps/other:3.0.0 # a plain comment',
    '---',
    '',
    'kind: Pod # second document',
    'spec:',
    '  containers:',
    '    - {name: app, image: x}',
    '    - image: reg.local:5000/apps/podinfo:1.0.0 # {"$imagepolicy": "apps:podinfo"}',
    '...',
    '',
  ];
  const result = updateSetterMarkers(lines.join('\r\n'), [podinfo]);
  const expected = [...lines];
  expected[2] = '- reg.local:5000/apps/podinfo:1.1.0 # {"$imagepolicy": "apps:podinfo"}';
  expected[10] = '    - image: reg.local:5000/apps/podinfo:1.1.0 # {"$imagepolicy": "apps:podinfo"}';
  assert.equal(result.text, expected.join('\r\n'));
  assert.deepEqual(
    result.changes.map((change) => change.line),
    [3, 11],
  );
});

test('a file without a final line break keeps it that way', () => {
  const result = updateSetterMarkers('image: reg.local:5000/apps/podinfo:1.0.0 # {"$imagepolicy": "apps:podinfo"}', [podinfo]);
  assert.equal(result.text, 'image: reg.local:5000/apps/podinfo:1.1.0 # {"$imagepolicy": "apps:podinfo"}');
});

test('a second write-back of the same choice changes nothing', () => {
  const text =
    'image: reg.local:5000/apps/podinfo:1.0.0 # {"$imagepolicy": "apps:podinfo"}\ntag: 1.0 # {"$imagepolicy": "apps:podinfo:tag"}\n';
  const first = updateSetterMarkers(text, [{ ...podinfo, tag: '1.10' }]);
  assert.equal(
    first.text,
    'image: reg.local:5000/apps/podinfo:1.10 # {"$imagepolicy": "apps:podinfo"}\ntag: "1.10" # {"$imagepolicy": "apps:podinfo:tag"}\n',
  );
  assert.equal(first.changes.length, 2);
  const second = updateSetterMarkers(first.text, [{ ...podinfo, tag: '1.10' }]);
  assert.equal(second.text, first.text);
  assert.deepEqual(second.changes, []);
});

test('a plain value is quoted only when plain would read back as something else', () => {
  const text = 'a: 1.0.0 # {"$imagepolicy": "apps:podinfo:tag"}\nb: 1.0.0 # {"$imagepolicy": "apps:other:tag"}\n';
  const numeric = updateSetterMarkers(text, [
    { ...podinfo, tag: '2' },
    { policy: 'apps:other', repository: 'reg/other', tag: '2.0.0' },
  ]);
  assert.equal(numeric.text, 'a: "2" # {"$imagepolicy": "apps:podinfo:tag"}\nb: 2.0.0 # {"$imagepolicy": "apps:other:tag"}\n');
});

test('a marker beside an empty value fills it in', () => {
  const result = updateSetterMarkers('tag: # {"$imagepolicy": "apps:podinfo:tag"}\n', [podinfo]);
  assert.equal(result.text, 'tag: 1.1.0 # {"$imagepolicy": "apps:podinfo:tag"}\n');
  assert.deepEqual(result.changes, [{ line: 1, from: '', to: '1.1.0' }]);
});

test('markers of policies not chosen, and ordinary comments, are left alone', () => {
  const text =
    'a: reg/a:1 # {"$imagepolicy": "apps:other"}\nb: reg/b:1 # {"note": "$imagepolicy is documented elsewhere"}\nc: reg/c:1 # see $imagepolicy in the docs\n';
  const result = updateSetterMarkers(text, [podinfo]);
  assert.equal(result.text, text);
  assert.deepEqual(result.changes, []);
  assert.deepEqual(result.problems, []);
});

test('malformed and misplaced markers are reported, and the good ones still written', () => {
  const text = `spec:
  a: reg/a:1 # {"$imagepolicy": apps:podinfo}
  b: reg/b:1 # {"$imagepolicy": "podinfo"}
  c: reg.local:5000/apps/podinfo:1.0.0
  # {"$imagepolicy": "apps:podinfo"}
  d: reg.local:5000/apps/podinfo:1.0.0 # {"$imagepolicy": "apps:podinfo"}
`;
  const result = updateSetterMarkers(text, [podinfo]);
  assert.equal(result.text, text.replace('d: reg.local:5000/apps/podinfo:1.0.0', 'd: reg.local:5000/apps/podinfo:1.1.0'));
  assert.deepEqual(result.problems, [
    'line 2: malformed image setter marker: # {"$imagepolicy": apps:podinfo} is not a JSON object; left alone',
    'line 3: malformed image setter marker: "podinfo" is not namespace:name, optionally followed by :tag, :name or :digest; left alone',
    'line 5: the setter marker for apps:podinfo is not on the same line as a value; left alone',
  ]);
});

test('a digest marker without a known digest is reported and left alone', () => {
  const text = 'digest: sha256:0000 # {"$imagepolicy": "apps:podinfo:digest"}\ntag: 1.0.0 # {"$imagepolicy": "apps:podinfo:tag"}\n';
  const result = updateSetterMarkers(text, [podinfo]);
  assert.equal(
    result.text,
    'digest: sha256:0000 # {"$imagepolicy": "apps:podinfo:digest"}\ntag: 1.1.0 # {"$imagepolicy": "apps:podinfo:tag"}\n',
  );
  assert.deepEqual(result.problems, [
    'line 1: the marker asks for the digest of apps:podinfo, but no digest is known for reg.local:5000/apps/podinfo:1.1.0; left alone',
  ]);
});

test('an anchored value that an alias repeats is refused: the edit would change the alias too', () => {
  const text = 'base: &image reg.local:5000/apps/podinfo:1.0.0 # {"$imagepolicy": "apps:podinfo"}\ncopy: *image\n';
  assert.throws(() => updateSetterMarkers(text, [podinfo]), refusal(/would also change document 1, copy; nothing written/));
});

test('a value whose explicit tag the new value does not fit is refused', () => {
  const text = 'replicas: !!int 1 # {"$imagepolicy": "apps:podinfo:tag"}\n';
  assert.throws(() => updateSetterMarkers(text, [podinfo]), refusal(/would draw a YAML warning/));
});

test('a marker on a block scalar is refused', () => {
  const text = 'tag: | # {"$imagepolicy": "apps:podinfo:tag"}\n  1.0.0\n';
  assert.throws(() => updateSetterMarkers(text, [podinfo]), refusal(/line 1: the value is a block scalar/));
});

test('a file that does not parse is refused before anything is edited', () => {
  assert.throws(
    () => updateSetterMarkers('image: [reg/app:1.0 # {"$imagepolicy": "apps:podinfo"}\n', [podinfo]),
    refusal(/invalid YAML at line/),
  );
});

test('two choices for one policy are a caller bug', () => {
  assert.throws(() => updateSetterMarkers('a: 1\n', [podinfo, podinfo]), /two image choices for policy apps:podinfo/);
});

const readings: { comment: string; reading: ReturnType<typeof readSetterMarker> }[] = [
  { comment: '# {"$imagepolicy": "apps:podinfo"}', reading: { kind: 'marker', policy: 'apps:podinfo', part: 'reference' } },
  { comment: '#{"$imagepolicy":"apps:podinfo:tag"}', reading: { kind: 'marker', policy: 'apps:podinfo', part: 'tag' } },
  { comment: '#   { "$imagepolicy" : "apps:podinfo:name" }  ', reading: { kind: 'marker', policy: 'apps:podinfo', part: 'repository' } },
  { comment: '# {"$imagepolicy": "apps:podinfo:digest"}', reading: { kind: 'marker', policy: 'apps:podinfo', part: 'digest' } },
  { comment: '# plain comment', reading: { kind: 'none' } },
  { comment: '# set by the $imagepolicy marker below', reading: { kind: 'none' } },
  { comment: '# {"note": "$imagepolicy"}', reading: { kind: 'none' } },
  {
    comment: '# {"$imagepolicy": "apps:podinfo"',
    reading: { kind: 'malformed', reason: '# {"$imagepolicy": "apps:podinfo" is not a JSON object' },
  },
  {
    comment: '# {"$imagepolicy": "apps:podinfo:version"}',
    reading: { kind: 'malformed', reason: '"apps:podinfo:version" is not namespace:name, optionally followed by :tag, :name or :digest' },
  },
  {
    comment: '# {"$imagepolicy": "apps:podinfo:tag:x"}',
    reading: { kind: 'malformed', reason: '"apps:podinfo:tag:x" is not namespace:name, optionally followed by :tag, :name or :digest' },
  },
  {
    comment: '# {"$imagepolicy": ":podinfo"}',
    reading: { kind: 'malformed', reason: '":podinfo" is not namespace:name, optionally followed by :tag, :name or :digest' },
  },
  { comment: '# {"$imagepolicy": 3}', reading: { kind: 'malformed', reason: '# {"$imagepolicy": 3} needs "$imagepolicy" to be a string' } },
  {
    comment: "# {'$imagepolicy': 'apps:podinfo'}",
    reading: { kind: 'malformed', reason: "# {'$imagepolicy': 'apps:podinfo'} is not a JSON object" },
  },
];

for (const { comment, reading } of readings) {
  test(`readSetterMarker ${comment}`, () => {
    assert.deepEqual(readSetterMarker(comment), reading);
  });
}
