// Finds, in the checkout, the file that holds an encrypted document as it was encrypted. Kustomize and
// Helm change rendered objects (namespace, labels, name suffixes), which breaks the SOPS MAC, so Wren
// decrypts the untouched source document instead. Documents are matched by their sops.mac.
import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { sopsMacOf, type JsonObject } from './sops-document.ts';

export type SopsFormat = 'yaml' | 'json';

export interface SopsSourceDocument {
  /** Path relative to the checkout root. */
  file: string;
  format: SopsFormat;
  /** The document's own text, exactly as in the file, to hand to sops. */
  text: string;
  /** The parsed encrypted document, to check that a rendered ciphertext is the one sops verified. */
  encrypted: JsonObject;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
// Encrypted manifests are small; anything larger is not worth reading on every sync.
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Every SOPS-encrypted document in one file's text, keyed by mac. Unparseable files hold none. */
export function sopsDocumentsIn(file: string, text: string): Map<string, SopsSourceDocument> {
  const found = new Map<string, SopsSourceDocument>();
  if (!text.includes('sops') || !text.includes('mac')) return found;
  if (extname(file) === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return found;
    }
    const mac = sopsMacOf(parsed);
    if (mac) found.set(mac, { file, format: 'json', text, encrypted: parsed as JsonObject });
    return found;
  }
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return found; // an empty stream
  for (const document of documents) {
    if (document.errors.length > 0) continue;
    const parsed: unknown = document.toJS();
    const mac = sopsMacOf(parsed);
    if (!mac) continue;
    // A lone document goes to sops byte for byte; one of several is cut out of the stream.
    const own = documents.length === 1 ? text : text.slice(document.range[0], document.range[2]);
    found.set(mac, { file, format: 'yaml', text: own, encrypted: parsed as JsonObject });
  }
  return found;
}

/**
 * Looks documents up by mac: first in the file a rendered object names as its source, then in every
 * manifest under the root (scanned once per finder). Symbolic links are not followed out of the root.
 */
export function createSopsSourceFinder(root: string): (mac: string, source: string) => Promise<SopsSourceDocument | undefined> {
  let scanned: Promise<Map<string, SopsSourceDocument>> | undefined;
  const byFile = new Map<string, Promise<Map<string, SopsSourceDocument>>>();

  const documentsOf = (file: string) => {
    let pending = byFile.get(file);
    if (!pending) {
      pending = readManifest(root, file).then((text) => (text === undefined ? new Map() : sopsDocumentsIn(file, text)));
      byFile.set(file, pending);
    }
    return pending;
  };

  return async (mac, source) => {
    const named = namedFile(root, source);
    if (named) {
      const hit = (await documentsOf(named)).get(mac);
      if (hit) return hit;
    }
    scanned ??= (async () => {
      const all = new Map<string, SopsSourceDocument>();
      for (const file of await manifestFiles(root)) {
        for (const [key, document] of await documentsOf(file)) if (!all.has(key)) all.set(key, document);
      }
      return all;
    })();
    return (await scanned).get(mac);
  };
}

/** The source as a path relative to the root, when it is one ("kustomize build x" is not). */
function namedFile(root: string, source: string): string | undefined {
  if (!MANIFEST_EXTENSIONS.has(extname(source))) return undefined;
  const path = relative(root, resolve(root, source));
  return path.startsWith('..') || path === '' ? undefined : path;
}

async function readManifest(root: string, file: string): Promise<string | undefined> {
  try {
    const realRoot = await realpath(root);
    const real = await realpath(join(root, file));
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return undefined;
    if ((await stat(real)).size > MAX_FILE_BYTES) return undefined;
    return await readFile(real, 'utf8');
  } catch {
    return undefined;
  }
}

async function manifestFiles(root: string, dir = ''): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = dir ? join(dir, entry.name) : entry.name;
    if (entry.isDirectory() && !entry.name.startsWith('.')) files.push(...(await manifestFiles(root, path)));
    else if (entry.isFile() && MANIFEST_EXTENSIONS.has(extname(entry.name))) files.push(path);
  }
  return files;
}
