// Where a value sits in a parsed document: map keys as strings (as toJS makes them), list positions
// as numbers. The verification reads and writes plain data through these paths.
export type YamlPath = readonly (string | number)[];

export function formatPath(path: YamlPath): string {
  return path.map((step, index) => (typeof step === 'number' ? `[${step}]` : index === 0 ? step : `.${step}`)).join('') || '(document)';
}

export function valueAt(data: unknown, path: YamlPath): unknown {
  let current = data;
  for (const step of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** Sets the value at path inside data, adding the last key when missing; the parents must exist. */
export function setValueAt(data: unknown, path: YamlPath, value: unknown): void {
  const parent = valueAt(data, path.slice(0, -1));
  const last = path.at(-1);
  if (last === undefined || typeof parent !== 'object' || parent === null) {
    throw new Error(`cannot set ${formatPath(path)}: its parent is not a map or list`);
  }
  (parent as Record<string | number, unknown>)[last] = value;
}
