// Flux-compatible image setters: a value followed on its line by `# {"$imagepolicy": "ns:name"}`
// gets the policy's full reference; `ns:name:tag`, `:name` and `:digest` set just that part. Works
// for any key, in lists and in every document of the file.
import { Scalar, type Document } from 'yaml';
import { commentTokens } from './comment-tokens.ts';
import type { EditResult } from './edit-result.ts';
import { imagePart, type ImageChoice, type ImagePart } from './image-choice.ts';
import { lineOf, parseYaml, type ParsedYaml } from './parsed-yaml.ts';
import { scalarTextEdit, writtenValue } from './scalar-edit.ts';
import { readSetterMarker } from './setter-marker.ts';
import { valueScalars } from './value-scalars.ts';
import { finishWriteBack, type PlannedEdit } from './write-back.ts';
import type { YamlPath } from './yaml-path.ts';

export function updateSetterMarkers(text: string, choices: readonly ImageChoice[]): EditResult {
  const chosen = choicesByPolicy(choices);
  const parsed = parseYaml(text);
  const comments = commentTokens(text);
  const problems: { line: number; message: string }[] = [];
  const besideValues = new Set<number>();
  const planned: PlannedEdit[] = [];

  parsed.documents.forEach((document, documentIndex) => {
    for (const marked of markedScalars(parsed, document, comments)) {
      const { node, path, commentOffset, part, policy } = marked;
      besideValues.add(commentOffset);
      const choice = chosen.get(policy);
      if (!choice) continue; // another policy's value, written back by that policy
      const value = imagePart(choice, part);
      if (value === undefined) {
        problems.push({
          line: lineOf(parsed, commentOffset),
          message: `the marker asks for the digest of ${policy}, but no digest is known for ${choice.repository}:${choice.tag}; left alone`,
        });
        continue;
      }
      const edit = scalarTextEdit(parsed, { node, value });
      if (edit) planned.push({ document: documentIndex, path, value, from: writtenValue(node), edit });
    }
  });

  for (const [offset, comment] of comments) {
    const reading = readSetterMarker(comment);
    if (reading.kind === 'malformed') {
      problems.push({ line: lineOf(parsed, offset), message: `malformed image setter marker: ${reading.reason}; left alone` });
    } else if (reading.kind === 'marker' && !besideValues.has(offset)) {
      problems.push({
        line: lineOf(parsed, offset),
        message: `the setter marker for ${reading.policy} is not on the same line as a value; left alone`,
      });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return finishWriteBack(
    parsed,
    planned,
    problems.map((problem) => `line ${problem.line}: ${problem.message}`),
  );
}

function choicesByPolicy(choices: readonly ImageChoice[]): Map<string, ImageChoice> {
  const byPolicy = new Map<string, ImageChoice>();
  for (const choice of choices) {
    if (byPolicy.has(choice.policy)) throw new Error(`two image choices for policy ${choice.policy}`);
    byPolicy.set(choice.policy, choice);
  }
  return byPolicy;
}

interface MarkedScalar {
  node: Scalar;
  path: YamlPath;
  commentOffset: number;
  policy: string;
  part: ImagePart;
}

function* markedScalars(parsed: ParsedYaml, document: Document.Parsed, comments: Map<number, string>): Generator<MarkedScalar> {
  for (const { node, path } of valueScalars(document)) {
    const commentOffset = sameLineComment(parsed.text, node, comments);
    if (commentOffset === undefined) continue;
    const reading = readSetterMarker(comments.get(commentOffset)!);
    if (reading.kind === 'marker') yield { node, path, commentOffset, policy: reading.policy, part: reading.part };
  }
}

/**
 * The comment that follows the value on its own line. For a block scalar that is the comment on its
 * header line (`key: | # …`), so a marker there is found and the edit refused with a clear reason.
 */
function sameLineComment(text: string, node: Scalar, comments: Map<number, string>): number | undefined {
  const [start, end] = node.range!;
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    const headerEnd = text.indexOf('\n', start);
    for (let offset = start; offset < (headerEnd === -1 ? text.length : headerEnd); offset++) {
      if (comments.has(offset)) return offset;
    }
    return undefined;
  }
  let offset = end;
  while (text[offset] === ' ' || text[offset] === '\t') offset++;
  return comments.has(offset) ? offset : undefined;
}
