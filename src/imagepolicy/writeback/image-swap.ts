// Puts an earlier image back wherever a file sets the one to undo, without a policy or setter marker:
// a value that is the whole reference (`image: app:2`, also with a pinned digest), and a tag that sits
// beside its repository in the same map (a kustomization's images: entry, Helm's repository/tag). Used
// to revert a failed release in Git; written through the same byte-preserving edit and verification
// as every write-back.
import type { EditResult } from './edit-result.ts';
import { parseYaml } from './parsed-yaml.ts';
import { scalarTextEdit, writtenValue } from './scalar-edit.ts';
import { valueScalars } from './value-scalars.ts';
import { finishWriteBack, type PlannedEdit } from './write-back.ts';
import { valueAt } from './yaml-path.ts';

export interface ImageSwap {
  /** The reference to undo, as the canary ran it: repository:tag (a digest after @ is ignored). */
  from: string;
  /** The reference to put back. */
  to: string;
}

interface Reference {
  repository: string;
  tag: string;
}

/** repository and tag of a reference; the tag is empty when there is none. The digest is dropped. */
export function splitReference(reference: string): Reference {
  const withoutDigest = reference.split('@')[0] ?? '';
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon <= slash) return { repository: withoutDigest, tag: '' };
  return { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
}

const TAG_KEYS = new Set(['newTag', 'tag']);
const REPOSITORY_KEYS = ['name', 'newName', 'repository'];

export function swapImages(text: string, swaps: readonly ImageSwap[]): EditResult {
  const parsed = parseYaml(text);
  const planned: PlannedEdit[] = [];
  parsed.documents.forEach((document, documentIndex) => {
    const data = parsed.data[documentIndex];
    for (const { node, path } of valueScalars(document)) {
      if (node.value === null || node.value === undefined) continue;
      const current = String(node.value);
      const key = path.at(-1);
      for (const swap of swaps) {
        const from = splitReference(swap.from);
        const to = splitReference(swap.to);
        let value: string | undefined;
        if (current === `${from.repository}:${from.tag}` || current.startsWith(`${from.repository}:${from.tag}@`)) value = swap.to;
        else if (
          typeof key === 'string' &&
          TAG_KEYS.has(key) &&
          current === from.tag &&
          from.repository === to.repository &&
          REPOSITORY_KEYS.some((sibling) => valueAt(data, [...path.slice(0, -1), sibling]) === from.repository)
        )
          value = to.tag;
        if (value === undefined) continue;
        const edit = scalarTextEdit(parsed, { node, value });
        if (edit) planned.push({ document: documentIndex, path, value, from: writtenValue(node), edit });
        break;
      }
    }
  });
  return finishWriteBack(parsed, planned, []);
}
