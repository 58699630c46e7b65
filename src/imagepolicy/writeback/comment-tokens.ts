// The comments of a YAML text, by offset. The parsed documents attach comments to nodes loosely
// (a comment may belong to the next node); the concrete syntax tree keeps each one where it stands.
import { Parser } from 'yaml';

/** Offset of each comment's "#" → the comment's text, "#" included. */
export function commentTokens(text: string): Map<number, string> {
  const comments = new Map<number, string>();
  for (const token of new Parser().parse(text)) collectComments(token, comments);
  return comments;
}

// Comments sit in the start, sep and end lists of many token kinds; searching the whole tree finds
// them all without depending on where each kind keeps them.
function collectComments(token: unknown, comments: Map<number, string>): void {
  if (typeof token !== 'object' || token === null) return;
  if (Array.isArray(token)) {
    for (const item of token) collectComments(item, comments);
    return;
  }
  const { type, offset, source } = token as { type?: unknown; offset?: unknown; source?: unknown };
  if (type === 'comment' && typeof offset === 'number' && typeof source === 'string') {
    comments.set(offset, source);
    return;
  }
  for (const value of Object.values(token)) collectComments(value, comments);
}
