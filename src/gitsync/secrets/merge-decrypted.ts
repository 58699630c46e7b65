// Puts decrypted values into the rendered object. Only ENC[...] leaves are replaced, each by the value
// at the same path of the decrypted source, and only when the rendered ciphertext is exactly the one
// in the source that sops verified; whatever Kustomize or Helm added or changed stays as rendered.
import { describePath, type FieldPath as Path } from './field-path.ts';
import { isEncryptedValue, isJsonObject, type JsonObject } from './sops-document.ts';

/** The rendered object without its sops key and with every encrypted leaf decrypted. */
export function mergeDecrypted(rendered: JsonObject, encrypted: JsonObject, decrypted: JsonObject): JsonObject {
  const { sops: _metadata, ...rest } = rendered;
  return replaceLeaves(rest, [], encrypted, decrypted) as JsonObject;
}

function replaceLeaves(value: unknown, path: Path, encrypted: JsonObject, decrypted: JsonObject): unknown {
  if (Array.isArray(value)) return value.map((item, index) => replaceLeaves(item, [...path, index], encrypted, decrypted));
  if (isJsonObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceLeaves(item, [...path, key], encrypted, decrypted)]));
  }
  if (!isEncryptedValue(value)) return value;
  const field = describePath(path);
  const source = valueAt(encrypted, path);
  if (source.found === false || source.value !== value) {
    throw new Error(`the encrypted value at ${field} is not the one in the source file (was it changed after encryption?)`);
  }
  const plain = valueAt(decrypted, path);
  if (plain.found === false) throw new Error(`sops returned no value at ${field}`);
  return plain.value;
}

function valueAt(document: unknown, path: Path): { found: true; value: unknown } | { found: false } {
  let current: unknown = document;
  for (const step of path) {
    if (typeof step === 'number' ? !Array.isArray(current) || step >= current.length : !isJsonObject(current) || !(step in current)) {
      return { found: false };
    }
    current = (current as Record<string | number, unknown>)[step];
  }
  return { found: true, value: current };
}
