// Named keys of a Helm values file get the chosen tag, repository, full reference or digest. The keys
// must already be there: write-back does not invent structure the chart may not read.
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { EditResult } from './edit-result.ts';
import { imagePart, type ImageChoice, type ImagePart } from './image-choice.ts';
import { parseHelmKeyPath } from './helm-key-path.ts';
import { lineOf, parseYaml } from './parsed-yaml.ts';
import { scalarTextEdit, writtenValue } from './scalar-edit.ts';
import { mapKey } from './value-scalars.ts';
import { WriteBackError } from './write-back-error.ts';
import { finishWriteBack, type PlannedEdit } from './write-back.ts';
import { formatPath } from './yaml-path.ts';

export interface HelmValuesKey {
  /** Dotted key, e.g. "image.tag"; `\.` for a dot inside a key (see parseHelmKeyPath). */
  path: string;
  part: ImagePart;
}

/** Helm reads only the first document of a values file, so only that one is edited. */
export function updateHelmValues(text: string, choice: ImageChoice, keys: readonly HelmValuesKey[]): EditResult {
  const parsed = parseYaml(text);
  const contents = parsed.documents[0]?.contents ?? null;
  const places = keys.map((key) => ({ key, place: findScalar(contents, parseHelmKeyPath(key.path)) }));
  const errors = places.flatMap(({ key, place }) => (typeof place === 'string' ? [`values key "${key.path}" ${place}`] : []));
  if (errors.length > 0) throw new WriteBackError(errors.join('; '));

  const planned: PlannedEdit[] = [];
  const problems: string[] = [];
  const valueOfNode = new Map<Scalar, string>();
  for (const { key, place } of places) {
    if (typeof place === 'string') continue;
    const { node, path } = place;
    const value = imagePart(choice, key.part);
    if (value === undefined) {
      problems.push(
        `line ${lineOf(parsed, node.range![0])}: values key "${key.path}" wants the digest, but none is known for ${choice.repository}:${choice.tag}; left alone`,
      );
      continue;
    }
    // The same key named twice is one edit; named for two different parts it is a contradiction.
    const earlier = valueOfNode.get(node);
    if (earlier !== undefined && earlier !== value)
      throw new WriteBackError(`values key "${key.path}" is named twice for different values`);
    if (earlier !== undefined) continue;
    valueOfNode.set(node, value);
    const edit = scalarTextEdit(parsed, { node, value });
    if (edit) planned.push({ document: 0, path, value, from: writtenValue(node), edit });
  }
  return finishWriteBack(parsed, planned, problems);
}

/** The scalar at the steps, with its data path; or why there is none. */
function findScalar(contents: unknown, steps: readonly string[]): { node: Scalar; path: (string | number)[] } | string {
  let node = contents;
  const path: (string | number)[] = [];
  for (const step of steps) {
    const under = path.length > 0 ? ` under ${formatPath(path)}` : '';
    if (isMap(node)) {
      const pair = node.items.find((candidate) => mapKey(candidate.key) === step);
      if (!pair) return `is missing: no key "${step}"${under}`;
      node = pair.value;
      path.push(step);
    } else if (isSeq(node) && /^\d+$/.test(step)) {
      const index = Number(step);
      if (index >= node.items.length) return `is missing: no item ${index}${under}`;
      node = node.items[index];
      path.push(index);
    } else {
      return `is missing: no key "${step}"${under}, which is not a map`;
    }
  }
  if (!isScalar(node)) return 'is a map, list or alias, not a single value';
  return { node, path };
}
