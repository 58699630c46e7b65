// The guard every editor passes through: the edited text is parsed again and must hold exactly the
// data of the original with the edited values set, no more and no less. A write-back that cannot
// show this is refused rather than committed.
import { isDeepStrictEqual } from 'node:util';
import { parseYaml, type ParsedYaml } from './parsed-yaml.ts';
import { WriteBackError } from './write-back-error.ts';
import { formatPath, setValueAt, valueAt, type YamlPath } from './yaml-path.ts';

export interface IntendedValue {
  /** 0-based index of the document in the file. */
  document: number;
  path: YamlPath;
  value: string;
}

export function verifyWriteBack(before: ParsedYaml, afterText: string, intended: readonly IntendedValue[]): void {
  let after: ParsedYaml;
  try {
    after = parseYaml(afterText);
  } catch (error) {
    throw new WriteBackError(
      `the edited text would not parse (${error instanceof WriteBackError ? error.detail : String(error)}); nothing written`,
    );
  }
  if (after.data.length !== before.data.length) {
    throw new WriteBackError(`the edited text would have ${after.data.length} documents instead of ${before.data.length}; nothing written`);
  }
  const newWarning = after.warnings.find((warning) => !before.warnings.includes(warning));
  if (newWarning) throw new WriteBackError(`the edited text would draw a YAML warning (${newWarning}); nothing written`);

  const expected = structuredClone(before.data);
  for (const { document, path, value } of intended) {
    const readBack = valueAt(after.data[document], path);
    if (readBack !== value) {
      throw new WriteBackError(
        `${where(document, path)} would read back as ${JSON.stringify(readBack)}, not ${JSON.stringify(value)}; nothing written`,
      );
    }
    setValueAt(expected[document], path, value);
  }
  const difference = firstDifference(expected, after.data, []);
  if (difference) {
    const [document = 0, ...path] = difference;
    throw new WriteBackError(`the edit would also change ${where(Number(document), path)}; nothing written`);
  }
}

function where(document: number, path: YamlPath): string {
  return `document ${document + 1}, ${formatPath(path)}`;
}

/** The path of the first place where two plain data trees differ, or undefined when they are equal. */
function firstDifference(a: unknown, b: unknown, path: (string | number)[]): (string | number)[] | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let index = 0; index < a.length; index++) {
      const found = firstDifference(a[index], b[index], [...path, index]);
      if (found) return found;
    }
  }
  if (isRecord(a) && isRecord(b) && !Array.isArray(a) && !Array.isArray(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(a[key], b[key], [...path, key]);
      if (found) return found;
    }
  }
  return path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
