import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImageChoice } from '../../../src/imagepolicy/writeback/image-choice.ts';
import { updateKustomizationImages } from '../../../src/imagepolicy/writeback/kustomization-images.ts';
import { WriteBackError } from '../../../src/imagepolicy/writeback/write-back-error.ts';

const podinfo: ImageChoice = { policy: 'apps:podinfo', repository: 'reg.local:5000/apps/podinfo', tag: '1.1.0' };

test("an entry without newTag gets one, right after name, indented like the entry's keys", () => {
  const text = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml   # the app
images:
  # mirrors
  -   name: reg.local:5000/apps/other
      newTag: 3.0.0
  -   name: reg.local:5000/apps/podinfo # the app's image

      # not the last key
  -   name: reg.local:5000/apps/podinfo-sidecar
`;
  const result = updateKustomizationImages(text, podinfo);
  assert.equal(
    result.text,
    `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml   # the app
images:
  # mirrors
  -   name: reg.local:5000/apps/other
      newTag: 3.0.0
  -   name: reg.local:5000/apps/podinfo # the app's image
      newTag: 1.1.0

      # not the last key
  -   name: reg.local:5000/apps/podinfo-sidecar
`,
  );
  assert.deepEqual(result.changes, [{ line: 10, from: '', to: '1.1.0' }]);
  assert.deepEqual(result.problems, []);
});

test('a new key goes after newName, in the quoting style of its value', () => {
  const text = 'images:\n- name: podinfo\n  newName: "reg.local:5000/apps/podinfo"\n  # end\n';
  const result = updateKustomizationImages(text, podinfo);
  assert.equal(result.text, 'images:\n- name: podinfo\n  newName: "reg.local:5000/apps/podinfo"\n  newTag: "1.1.0"\n  # end\n');
});

test('an existing newTag is set in its own style, matching the entry by newName', () => {
  const text = "images:\n  - name: podinfo\n    newTag: '1.0.0'   # bumped by Wren\n    newName: reg.local:5000/apps/podinfo\n";
  const result = updateKustomizationImages(text, podinfo);
  assert.equal(
    result.text,
    "images:\n  - name: podinfo\n    newTag: '1.1.0'   # bumped by Wren\n    newName: reg.local:5000/apps/podinfo\n",
  );
  assert.deepEqual(result.changes, [{ line: 3, from: '1.0.0', to: '1.1.0' }]);
});

test('imageName picks the entry by the name the manifests use', () => {
  const text =
    'images:\n- name: ghcr.io/stefanprodan/podinfo\n  newName: mirror/podinfo\n  newTag: 1.0.0\n- name: podinfo\n  newTag: 1.0.0\n';
  const result = updateKustomizationImages(text, podinfo, 'podinfo');
  assert.equal(
    result.text,
    'images:\n- name: ghcr.io/stefanprodan/podinfo\n  newName: mirror/podinfo\n  newTag: 1.0.0\n- name: podinfo\n  newTag: 1.1.0\n',
  );
});

test('a pinned digest is added after newTag, or updated where it is', () => {
  const choice = { ...podinfo, digest: 'sha256:1111', pinDigest: true };
  const missing = updateKustomizationImages('images:\n- name: reg.local:5000/apps/podinfo\n  newTag: 1.0.0\n', choice);
  assert.equal(missing.text, 'images:\n- name: reg.local:5000/apps/podinfo\n  newTag: 1.1.0\n  digest: sha256:1111\n');
  assert.deepEqual(missing.changes, [
    { line: 3, from: '1.0.0', to: '1.1.0' },
    { line: 4, from: '', to: 'sha256:1111' },
  ]);
  const neither = updateKustomizationImages('images:\n- name: reg.local:5000/apps/podinfo\nresources: []\n', choice);
  assert.equal(neither.text, 'images:\n- name: reg.local:5000/apps/podinfo\n  newTag: 1.1.0\n  digest: sha256:1111\nresources: []\n');
  const present = updateKustomizationImages(
    'images:\n- name: reg.local:5000/apps/podinfo\n  digest: sha256:0000\n  newTag: 1.0.0\n',
    choice,
  );
  assert.equal(present.text, 'images:\n- name: reg.local:5000/apps/podinfo\n  digest: sha256:1111\n  newTag: 1.1.0\n');
});

test('a digest the choice does not pin is kept, and reported because it still decides the image', () => {
  const text = 'images:\n- name: reg.local:5000/apps/podinfo\n  digest: sha256:0000\n';
  const result = updateKustomizationImages(text, { ...podinfo, digest: 'sha256:1111' });
  assert.equal(result.text, 'images:\n- name: reg.local:5000/apps/podinfo\n  newTag: 1.1.0\n  digest: sha256:0000\n');
  assert.deepEqual(result.problems, [
    'line 3: the entry pins a digest, which decides the image whatever newTag says; the digest is left as it is',
  ]);
});

test('no matching entry is reported and nothing is appended', () => {
  const text = 'images:\n- name: reg.local:5000/apps/other\n  newTag: 1.0.0\n';
  const result = updateKustomizationImages(text, podinfo);
  assert.equal(result.text, text);
  assert.deepEqual(result.changes, []);
  assert.deepEqual(result.problems, [
    'no images: entry has name reg.local:5000/apps/podinfo or newName reg.local:5000/apps/podinfo; nothing changed (write-back does not add entries)',
  ]);
  assert.deepEqual(updateKustomizationImages('resources: [a.yaml]\n', podinfo).problems, result.problems);
});

test('CRLF files get CRLF in the inserted line, and keep a missing final line break missing', () => {
  const text = 'images:\r\n  - name: reg.local:5000/apps/podinfo\r\n    newName: reg.local:5000/apps/podinfo\r\nresources:\r\n  - a.yaml';
  const result = updateKustomizationImages(text, podinfo);
  assert.equal(
    result.text,
    'images:\r\n  - name: reg.local:5000/apps/podinfo\r\n    newName: reg.local:5000/apps/podinfo\r\n    newTag: 1.1.0\r\nresources:\r\n  - a.yaml',
  );
  const last = updateKustomizationImages('images:\r\n  - name: reg.local:5000/apps/podinfo', podinfo);
  assert.equal(last.text, 'images:\r\n  - name: reg.local:5000/apps/podinfo\r\n    newTag: 1.1.0');
});

test('a flow-style entry gets the key inside its braces', () => {
  const text = 'images: [{name: reg.local:5000/apps/podinfo}, {name: other, newTag: "2"}] # inline\n';
  const result = updateKustomizationImages(text, podinfo);
  assert.equal(result.text, 'images: [{name: reg.local:5000/apps/podinfo, newTag: 1.1.0}, {name: other, newTag: "2"}] # inline\n');
});

test('a tag that plain YAML would read as a number is quoted', () => {
  const text = 'images:\n- name: reg.local:5000/apps/podinfo\n  newTag: 1.0\n';
  const result = updateKustomizationImages(text, { ...podinfo, tag: '1.10' });
  assert.equal(result.text, 'images:\n- name: reg.local:5000/apps/podinfo\n  newTag: "1.10"\n');
});

test('a second write-back of the same choice changes nothing', () => {
  const choice = { ...podinfo, digest: 'sha256:1111', pinDigest: true };
  const first = updateKustomizationImages('images:\n- name: reg.local:5000/apps/podinfo\n', choice);
  assert.equal(first.changes.length, 2);
  const second = updateKustomizationImages(first.text, choice);
  assert.equal(second.text, first.text);
  assert.deepEqual(second.changes, []);
});

test('a newTag that is not a single value is refused', () => {
  const text = 'images:\n- name: reg.local:5000/apps/podinfo\n  newTag:\n    major: 1\n';
  assert.throws(
    () => updateKustomizationImages(text, podinfo),
    (error: unknown) => error instanceof WriteBackError && /line 3: newTag in the images: entry is not a single value/.test(error.message),
  );
});
