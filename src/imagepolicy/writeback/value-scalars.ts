// Every scalar that is a value (not a key) in a document, with the path toJS() would give it.
import { isMap, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import type { YamlPath } from './yaml-path.ts';

export interface PlacedScalar {
  node: Scalar;
  path: YamlPath;
}

export function valueScalars(document: Document.Parsed): PlacedScalar[] {
  const found: PlacedScalar[] = [];
  collect(document.contents, [], found);
  return found;
}

function collect(node: Node | null | undefined, path: YamlPath, found: PlacedScalar[]): void {
  if (isScalar(node)) {
    found.push({ node, path });
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => collect(item as Node, [...path, index], found));
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const key = mapKey(pair.key);
      // A value under a key that is itself a map or list has no plain path; leave it alone.
      if (key !== undefined) collect(pair.value as Node | null, [...path, key], found);
    }
  }
  // Aliases repeat a value that is edited where it is anchored, if at all.
}

/** A scalar key as toJS() names it in plain data: null is "", everything else its string form. */
export function mapKey(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  return key.value === null ? '' : String(key.value);
}
