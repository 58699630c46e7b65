// Puts an earlier image back wherever a file sets the one to undo, without a policy or setter marker:
// a value that is the whole reference (`image: app:2`, also with a pinned digest), and a tag that sits
// beside its repository in the same map (a kustomization's images: entry, Helm's repository/tag). Used
// to revert a failed release in Git; written through the same byte-preserving edit and verification
// as every write-back.
import { splitImage } from '../../gitsync/render/image-reference.ts';
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
        const from = splitImage(swap.from);
        const to = splitImage(swap.to);
        let value: string | undefined;
        if (current === `${from.name}:${from.tag}` || current.startsWith(`${from.name}:${from.tag}@`)) value = swap.to;
        else if (
          typeof key === 'string' &&
          TAG_KEYS.has(key) &&
          current === from.tag &&
          from.name === to.name &&
          REPOSITORY_KEYS.some((sibling) => valueAt(data, [...path.slice(0, -1), sibling]) === from.name)
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
