// The decryption step of a sync: every rendered object that carries SOPS metadata is replaced by its
// decrypted form; all others pass through untouched. Plaintext exists only in memory: sops reads
// the ciphertext from stdin and prints the plaintext to a pipe.
import type { RenderedObject } from '../rendered-object.ts';
import { describeObject } from '../rendered-object.ts';
import { SyncError } from '../sync-error.ts';
import { mergeDecrypted } from './merge-decrypted.ts';
import { decryptDocument } from './sops-decrypt.ts';
import { sopsMacOf, type JsonObject } from './sops-document.ts';
import { createSopsSourceFinder } from './sops-source.ts';

export interface SopsDecryptionOptions {
  /** The checkout directory that rendered paths are relative to. */
  root: string;
  /** AGE-SECRET-KEY-1... lines from the decryption Secret's keys ending in .agekey. */
  ageKeys: string[];
  /** Path of the sops binary. */
  sops: string;
  /** Time limit of one sops run. */
  timeoutMs: number;
}

export async function decryptSopsObjects(objects: RenderedObject[], options: SopsDecryptionOptions): Promise<RenderedObject[]> {
  if (!objects.some((rendered) => sopsMacOf(rendered.object))) return objects;
  const findSource = createSopsSourceFinder(options.root);
  // One sops run per source document, however many rendered objects came from it.
  const decrypted = new Map<string, Promise<JsonObject>>();
  const result: RenderedObject[] = [];
  for (const rendered of objects) {
    const mac = sopsMacOf(rendered.object);
    if (!mac) {
      result.push(rendered);
      continue;
    }
    const object = describeObject(rendered.object);
    const source = await findSource(mac, rendered.source);
    if (!source) {
      throw new SyncError('decrypt', 'no file in the repository holds this encrypted document (its sops.mac matches none)', {
        file: rendered.source,
        object,
      });
    }
    try {
      let plain = decrypted.get(mac);
      if (!plain) {
        plain = decryptDocument(source.text, source.format, options);
        decrypted.set(mac, plain);
      }
      const merged = mergeDecrypted(rendered.object, source.encrypted, await plain);
      result.push({ ...rendered, object: merged as RenderedObject['object'] });
    } catch (error) {
      throw new SyncError('decrypt', (error as Error).message, { file: source.file, object });
    }
  }
  return result;
}
