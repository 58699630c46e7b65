// What marks a document as SOPS-encrypted, and the one string that identifies it: sops.mac is an
// encrypted digest of every value, so two documents with the same mac are the same encryption.
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The sops.mac of an encrypted document, or undefined when the document is not SOPS-encrypted. */
export function sopsMacOf(document: unknown): string | undefined {
  if (!isJsonObject(document)) return undefined;
  const metadata = document.sops;
  if (!isJsonObject(metadata)) return undefined;
  return typeof metadata.mac === 'string' && metadata.mac !== '' ? metadata.mac : undefined;
}

/** A value SOPS encrypted: ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]. */
export function isEncryptedValue(value: unknown): value is string {
  return typeof value === 'string' && /^ENC\[AES256_GCM,.*\]$/s.test(value);
}
