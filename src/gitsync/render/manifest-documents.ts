// Turns manifest text (a file, or what kustomize or helm printed) into Kubernetes objects. Every
// document must be an object with apiVersion and kind: a stray values file or a typo'd document is
// reported with its file, document number and line instead of being skipped, so nothing in Git is
// silently left unapplied.
import { LineCounter, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../kube/objects.ts';
import { SyncError } from '../sync-error.ts';

export interface ManifestDocument {
  object: KubeObject;
  /** 1-based position of the document in its text. */
  index: number;
  /** 1-based line where the document's content starts. */
  line: number;
  /** The comment lines between the document marker and its content (helm writes "# Source: ..." there). */
  leadingComment: string;
}

/** Every object in a multi-document YAML text; empty documents are skipped. */
export function parseYamlManifests(text: string, file: string): ManifestDocument[] {
  const lines = new LineCounter();
  // merge: `<<` keys, which the Go YAML libraries behind kubectl and kustomize accept.
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, merge: true });
  const result: ManifestDocument[] = [];
  documents.forEach((document, position) => {
    const error = document.errors[0];
    if (error) {
      const { line, col } = lines.linePos(error.pos[0]);
      throw new SyncError('render', `invalid YAML at line ${line}, column ${col}: ${error.message}`, { file });
    }
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    const start = document.contents?.range[0] ?? document.range[0];
    const line = lines.linePos(start).line;
    const leadingComment = text.slice(document.range[0], start);
    for (const object of kubeObjectsIn(value, `document ${position + 1} (line ${line})`, file)) {
      result.push({ object, index: position + 1, line, leadingComment });
    }
  });
  return result;
}

/** The object (or List of objects) in a JSON file. */
export function parseJsonManifest(text: string, file: string): KubeObject[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Node's message already carries "(line L column C)".
    throw new SyncError('render', `invalid JSON: ${(error as Error).message}`, { file });
  }
  return kubeObjectsIn(value, 'the document', file);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasTypeFields(value: Record<string, unknown>): boolean {
  return typeof value.apiVersion === 'string' && value.apiVersion !== '' && typeof value.kind === 'string' && value.kind !== '';
}

// A v1 List is how `kubectl get -o yaml` exports several objects; kubectl applies its items, so do we.
function kubeObjectsIn(value: unknown, where: string, file: string): KubeObject[] {
  if (!isMap(value) || !hasTypeFields(value)) {
    throw new SyncError('render', `${where} is not a Kubernetes object: it needs apiVersion and kind`, { file });
  }
  if (value.apiVersion !== 'v1' || value.kind !== 'List') return [value as KubeObject];
  const items = Array.isArray(value.items) ? value.items : [];
  return items.map((item, index) => {
    if (!isMap(item) || !hasTypeFields(item)) {
      throw new SyncError('render', `item ${index + 1} of the List in ${where} needs apiVersion and kind`, { file });
    }
    return item as KubeObject;
  });
}
