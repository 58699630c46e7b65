import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fullReference } from '../../../src/imagepolicy/writeback/image-choice.ts';
import { parseYaml } from '../../../src/imagepolicy/writeback/parsed-yaml.ts';
import { scalarTextEdit } from '../../../src/imagepolicy/writeback/scalar-edit.ts';
import { readsBackPlain, renderScalar, type WrittenStyle } from '../../../src/imagepolicy/writeback/scalar-style.ts';
import { applyTextEdits } from '../../../src/imagepolicy/writeback/text-edits.ts';
import { WriteBackError } from '../../../src/imagepolicy/writeback/write-back-error.ts';

const renderings: { style: WrittenStyle; value: string; written: string }[] = [
  { style: 'plain', value: '127.0.0.1:5000/team/app:1.2.3', written: '127.0.0.1:5000/team/app:1.2.3' },
  { style: 'plain', value: 'sha256:0a1b2c', written: 'sha256:0a1b2c' },
  { style: 'plain', value: 'v1.2.3-rc.1+build.5', written: 'v1.2.3-rc.1+build.5' },
  // Values that would read back as something other than the string fall back to double quotes.
  { style: 'plain', value: '1.10', written: '"1.10"' },
  { style: 'plain', value: '42', written: '"42"' },
  { style: 'plain', value: 'true', written: '"true"' },
  { style: 'plain', value: 'null', written: '"null"' },
  { style: 'plain', value: '', written: '""' },
  // Strings in YAML 1.2 but numbers or booleans to YAML 1.1 readers (kubectl, kustomize, helm).
  { style: 'plain', value: '1_000', written: '"1_000"' },
  { style: 'plain', value: '0755', written: '"0755"' },
  { style: 'plain', value: 'yes', written: '"yes"' },
  { style: 'plain', value: '1:20', written: '"1:20"' },
  // Characters that change the meaning of plain text.
  { style: 'plain', value: 'a b', written: '"a b"' },
  { style: 'plain', value: 'app:', written: '"app:"' },
  { style: 'plain', value: '@latest', written: '"@latest"' },
  { style: 'plain', value: 'a,b', written: '"a,b"' },
  { style: 'plain', value: 'a#b', written: '"a#b"' },
  { style: 'single', value: '1.0.0', written: "'1.0.0'" },
  { style: 'single', value: "it's", written: "'it''s'" },
  { style: 'single', value: 'line\nbreak', written: '"line\\nbreak"' },
  { style: 'double', value: 'reg/app:1.0', written: '"reg/app:1.0"' },
  { style: 'double', value: 'say "hi" \\ bye', written: '"say \\"hi\\" \\\\ bye"' },
];

for (const { style, value, written } of renderings) {
  test(`renderScalar ${style} ${JSON.stringify(value)} → ${written}`, () => {
    assert.equal(renderScalar(style, value), written);
  });
}

test('readsBackPlain agrees with the parser for every plain rendering above', () => {
  for (const { style, value, written } of renderings) {
    if (style === 'plain') assert.equal(readsBackPlain(value), written === value, value);
  }
});

test('fullReference adds the digest only when the choice pins a known digest', () => {
  const choice = { policy: 'apps:podinfo', repository: 'reg/app', tag: '1.2.3' };
  assert.equal(fullReference(choice), 'reg/app:1.2.3');
  assert.equal(fullReference({ ...choice, digest: 'sha256:abc' }), 'reg/app:1.2.3');
  assert.equal(fullReference({ ...choice, pinDigest: true }), 'reg/app:1.2.3');
  assert.equal(fullReference({ ...choice, digest: 'sha256:abc', pinDigest: true }), 'reg/app:1.2.3@sha256:abc');
});

test('applyTextEdits applies edits given in any order and says where each landed', () => {
  const text = 'a: 1\nb: 22\nc: 3\n';
  const result = applyTextEdits(text, [
    { start: 14, end: 15, replacement: 'three' },
    { start: 3, end: 4, replacement: 'one' },
    { start: 8, end: 10, replacement: '2' },
  ]);
  assert.equal(result.text, 'a: one\nb: 2\nc: three\n');
  assert.deepEqual(result.starts, [15, 3, 10]);
});

test('applyTextEdits keeps insertions at one offset in the order given', () => {
  const result = applyTextEdits('name: x\n', [
    { start: 7, end: 7, replacement: '\nfirst: 1' },
    { start: 7, end: 7, replacement: '\nsecond: 2' },
  ]);
  assert.equal(result.text, 'name: x\nfirst: 1\nsecond: 2\n');
  assert.deepEqual(result.starts, [7, 16]);
});

test('applyTextEdits refuses overlapping edits', () => {
  assert.throws(
    () =>
      applyTextEdits('abcdef', [
        { start: 1, end: 4, replacement: 'x' },
        { start: 3, end: 5, replacement: 'y' },
      ]),
    /overlapping/,
  );
});

function valueNode(text: string) {
  const parsed = parseYaml(text);
  const node = (parsed.documents[0]!.contents as { items: { value: unknown }[] }).items[0]!.value;
  return { parsed, node: node as Parameters<typeof scalarTextEdit>[1]['node'] };
}

test('scalarTextEdit replaces exactly the value, leaving tag, anchor and comment alone', () => {
  const { parsed, node } = valueNode('image: &img !!str reg/app:1.0   # pinned\n');
  assert.deepEqual(scalarTextEdit(parsed, { node, value: 'reg/app:2.0' }), { start: 18, end: 29, replacement: 'reg/app:2.0' });
});

test('scalarTextEdit gives no edit when the value already is the string', () => {
  const { parsed, node } = valueNode("tag: '1.0'\n");
  assert.equal(scalarTextEdit(parsed, { node, value: '1.0' }), undefined);
});

test('scalarTextEdit rewrites a number that looks like the tag, because tools would read a number', () => {
  const { parsed, node } = valueNode('tag: 1.0\n');
  assert.deepEqual(scalarTextEdit(parsed, { node, value: '1.0' }), { start: 5, end: 8, replacement: '"1.0"' });
});

test('scalarTextEdit fills an empty value with the spaces it needs', () => {
  const afterColon = valueNode('tag:\n');
  const edit = scalarTextEdit(afterColon.parsed, { node: afterColon.node, value: '1.2.3' })!;
  assert.equal(applyTextEdits('tag:\n', [edit]).text, 'tag: 1.2.3\n');
  const beforeComment = valueNode('tag: # set by Wren\n');
  const commented = scalarTextEdit(beforeComment.parsed, { node: beforeComment.node, value: '1.2.3' })!;
  assert.equal(applyTextEdits('tag: # set by Wren\n', [commented]).text, 'tag: 1.2.3 # set by Wren\n');
});

test('scalarTextEdit refuses block scalars with the line they are on', () => {
  const { parsed, node } = valueNode('tag: |\n  1.0\n');
  assert.throws(
    () => scalarTextEdit(parsed, { node, value: '2.0' }),
    (error: unknown) => error instanceof WriteBackError && /line 1: .*block scalar/.test(error.message),
  );
  const folded = valueNode('tag: >-\n  1.0\n');
  assert.throws(() => scalarTextEdit(folded.parsed, { node: folded.node, value: '2.0' }), WriteBackError);
});

test('parseYaml refuses text with YAML errors, naming the line', () => {
  assert.throws(
    () => parseYaml('a: 1\nb: [2\n'),
    (error: unknown) => error instanceof WriteBackError && /invalid YAML at line \d/.test(error.message),
  );
});

test('parseYaml refuses text whose aliases cannot be read, as a write-back error', () => {
  assert.throws(
    () => parseYaml('image: *missing\n'),
    (error: unknown) => error instanceof WriteBackError && /unreadable YAML: Unresolved alias/.test(error.message),
  );
});

test('WriteBackError.inFile names the file and keeps the reason', () => {
  const error = new WriteBackError('line 3: broken').inFile('apps/podinfo/deployment.yaml');
  assert.equal(error.message, 'image write-back to apps/podinfo/deployment.yaml: line 3: broken');
  assert.equal(error.file, 'apps/podinfo/deployment.yaml');
  assert.equal(error.detail, 'line 3: broken');
});
