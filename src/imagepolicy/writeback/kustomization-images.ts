// A kustomization.yaml's `images:` entry for the chosen image gets its newTag (and, when the choice
// pins one, its digest). Entries are never added: an image the kustomization does not list is not
// Wren's to start overriding, so a missing entry is reported instead.
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { EditResult } from './edit-result.ts';
import type { ImageChoice } from './image-choice.ts';
import { lineOf, parseYaml, type ParsedYaml } from './parsed-yaml.ts';
import { scalarTextEdit, writtenValue } from './scalar-edit.ts';
import { renderScalar, writtenStyleOf } from './scalar-style.ts';
import type { TextEdit } from './text-edits.ts';
import { mapKey } from './value-scalars.ts';
import { WriteBackError } from './write-back-error.ts';
import { finishWriteBack, type PlannedEdit } from './write-back.ts';
import type { YamlPath } from './yaml-path.ts';

/** imageName is the entry's `name` to look for; by default the chosen repository. */
export function updateKustomizationImages(text: string, choice: ImageChoice, imageName: string = choice.repository): EditResult {
  const parsed = parseYaml(text);
  const planned: PlannedEdit[] = [];
  const problems: string[] = [];
  let entries = 0;
  parsed.documents.forEach((document, documentIndex) => {
    const images = isMap(document.contents) ? pairOf(document.contents, 'images')?.value : undefined;
    if (!isSeq(images)) return;
    images.items.forEach((entry, index) => {
      if (!isMap(entry)) return;
      if (stringAt(entry, 'name') !== imageName && stringAt(entry, 'newName') !== choice.repository) return;
      entries++;
      planned.push(...entryEdits(parsed, documentIndex, ['images', index], entry, choice));
      const digest = pairOf(entry, 'digest');
      if (digest && !(choice.pinDigest && choice.digest)) {
        problems.push(
          `line ${lineOf(parsed, rangeOf(digest.key)[0])}: the entry pins a digest, which decides the image whatever newTag says; the digest is left as it is`,
        );
      }
    });
  });
  if (entries === 0) {
    problems.push(
      `no images: entry has name ${imageName} or newName ${choice.repository}; nothing changed (write-back does not add entries)`,
    );
  }
  return finishWriteBack(parsed, planned, problems);
}

function entryEdits(parsed: ParsedYaml, document: number, entryPath: YamlPath, entry: YAMLMap, choice: ImageChoice): PlannedEdit[] {
  const wanted: [key: string, value: string][] = [['newTag', choice.tag]];
  if (choice.pinDigest && choice.digest) wanted.push(['digest', choice.digest]);
  // Added keys follow the entry's own order: name, newName, newTag, digest.
  let anchor = pairOf(entry, 'newName') ?? pairOf(entry, 'name')!;
  const edits: PlannedEdit[] = [];
  for (const [key, value] of wanted) {
    const path = [...entryPath, key];
    const existing = pairOf(entry, key);
    if (!existing) {
      edits.push({ document, path, value, from: '', edit: insertAfter(parsed, entry, anchor, key, value) });
      continue;
    }
    anchor = existing;
    if (!isScalar(existing.value)) {
      throw new WriteBackError(`line ${lineOf(parsed, rangeOf(existing.key)[0])}: ${key} in the images: entry is not a single value`);
    }
    const edit = scalarTextEdit(parsed, { node: existing.value, value });
    if (edit) edits.push({ document, path, value, from: writtenValue(existing.value), edit });
  }
  return edits;
}

/**
 * A new `key: value` right after the anchor pair: on the next line with the indentation of the
 * anchor's key (so `- name: app` gives the new key two more spaces than the dash), or `, key: value`
 * inside a flow map. Written in the style of the anchor's value, with the line ending of its line.
 */
function insertAfter(parsed: ParsedYaml, entry: YAMLMap, anchor: Pair, key: string, value: string): TextEdit {
  const { text } = parsed;
  const style = isScalar(anchor.value) ? (writtenStyleOf(anchor.value) ?? 'plain') : 'plain';
  const written = `${key}: ${renderScalar(style, value)}`;
  const anchorEnd = rangeOf(anchor.value ?? anchor.key)[1];
  if (entry.flow) return { start: anchorEnd, end: anchorEnd, replacement: `, ${written}` };

  const lineBreak = text.indexOf('\n', anchorEnd);
  const crlf = lineBreak === -1 ? text.includes('\r\n') : text[lineBreak - 1] === '\r';
  const lineEnd = lineBreak === -1 ? text.length : crlf ? lineBreak - 1 : lineBreak;
  const keyStart = rangeOf(anchor.key)[0];
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  // The dash and spaces before the key become spaces; a tab stays a tab so columns still line up.
  const indent = text.slice(lineStart, keyStart).replace(/[^\t]/g, ' ');
  return { start: lineEnd, end: lineEnd, replacement: `${crlf ? '\r\n' : '\n'}${indent}${written}` };
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => mapKey(pair.key) === key);
}

function stringAt(map: YAMLMap, key: string): string | undefined {
  const value = pairOf(map, key)?.value;
  return isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
}

function rangeOf(node: unknown): [number, number, number] {
  const range = (node as Node | undefined)?.range;
  if (!range) throw new Error('node without a source range');
  return range;
}
