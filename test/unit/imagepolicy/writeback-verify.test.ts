import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseYaml } from '../../../src/imagepolicy/writeback/parsed-yaml.ts';
import { verifyWriteBack } from '../../../src/imagepolicy/writeback/verify-write-back.ts';
import { WriteBackError } from '../../../src/imagepolicy/writeback/write-back-error.ts';

const before = parseYaml('app:\n  image: reg/app:1.0\n  replicas: 2\n---\nimages:\n- name: reg/app\n');
const imageTo2 = { document: 0, path: ['app', 'image'], value: 'reg/app:2.0' };

function refusal(pattern: RegExp) {
  return (error: unknown) => error instanceof WriteBackError && pattern.test(error.message);
}

test('an edit that changes exactly the intended value passes', () => {
  verifyWriteBack(before, 'app:\n  image: "reg/app:2.0"\n  replicas: 2\n---\nimages:\n- name: reg/app\n', [imageTo2]);
});

test('an added key passes when it is the intended one', () => {
  verifyWriteBack(before, 'app:\n  image: reg/app:1.0\n  replicas: 2\n---\nimages:\n- name: reg/app\n  newTag: 2.0.0\n', [
    { document: 1, path: ['images', 0, 'newTag'], value: '2.0.0' },
  ]);
});

test('an edited text that does not parse is refused', () => {
  assert.throws(
    () => verifyWriteBack(before, 'app:\n  image: [reg/app:2.0\n  replicas: 2\n---\nimages:\n- name: reg/app\n', [imageTo2]),
    refusal(/would not parse/),
  );
});

test('a value that reads back as another type is refused', () => {
  assert.throws(
    () => verifyWriteBack(before, 'app:\n  image: 2.0\n  replicas: 2\n---\nimages:\n- name: reg/app\n', [{ ...imageTo2, value: '2.0' }]),
    refusal(/document 1, app\.image would read back as 2, not "2\.0"/),
  );
});

test('a change anywhere else is refused, naming where', () => {
  assert.throws(
    () => verifyWriteBack(before, 'app:\n  image: reg/app:2.0\n  replicas: 3\n---\nimages:\n- name: reg/app\n', [imageTo2]),
    refusal(/also change document 1, app\.replicas/),
  );
  assert.throws(
    () => verifyWriteBack(before, 'app:\n  image: reg/app:2.0\n  replicas: 2\n---\nimages:\n- name: reg/app\n  newTag: x\n', [imageTo2]),
    refusal(/also change document 2, images\[0\]\.newTag/),
  );
});

test('a different number of documents is refused', () => {
  assert.throws(
    () => verifyWriteBack(before, 'app:\n  image: reg/app:2.0\n  replicas: 2\n---\nimages:\n- name: reg/app\n---\n', [imageTo2]),
    refusal(/3 documents instead of 2/),
  );
});

test('a new YAML warning is refused', () => {
  assert.throws(
    () => verifyWriteBack(before, 'app:\n  image: !!int reg/app:2.0\n  replicas: 2\n---\nimages:\n- name: reg/app\n', [imageTo2]),
    refusal(/would draw a YAML warning \(line 2: Unresolved tag/),
  );
});
