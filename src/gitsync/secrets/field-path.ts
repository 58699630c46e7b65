// How errors name a place in an object: by field names and indexes, never by the values there.
export type FieldPath = (string | number)[];

/** data.password, spec.containers[0].env[1].value */
export function describePath(path: FieldPath): string {
  return path.map((step, index) => (typeof step === 'number' ? `[${step}]` : index === 0 ? step : `.${step}`)).join('') || '(root)';
}
