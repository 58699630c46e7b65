// Reads a Flux image setter marker, the comment `# {"$imagepolicy": "namespace:name[:tag|:name|:digest]"}`.
import type { ImagePart } from './image-choice.ts';

export type MarkerReading =
  | { kind: 'marker'; policy: string; part: ImagePart }
  | { kind: 'malformed'; reason: string }
  /** An ordinary comment. */
  | { kind: 'none' };

// Flux calls the repository "name".
const suffixes: ReadonlyMap<string | undefined, ImagePart> = new Map([
  [undefined, 'reference'],
  ['tag', 'tag'],
  ['name', 'repository'],
  ['digest', 'digest'],
]);

/** comment is the comment's text with its "#". */
export function readSetterMarker(comment: string): MarkerReading {
  const body = comment.replace(/^#/, '').trim();
  // Prose that mentions $imagepolicy is a comment; an object that does is meant as a marker.
  if (!body.startsWith('{') || !body.includes('$imagepolicy')) return { kind: 'none' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'malformed', reason: `${comment.trim()} is not a JSON object` };
  }
  if (typeof parsed !== 'object' || parsed === null || !Object.hasOwn(parsed, '$imagepolicy')) return { kind: 'none' };
  const reference: unknown = (parsed as Record<string, unknown>)['$imagepolicy'];
  if (typeof reference !== 'string') {
    return { kind: 'malformed', reason: `${comment.trim()} needs "$imagepolicy" to be a string` };
  }
  const [namespace = '', name = '', suffix, ...rest] = reference.split(':');
  const part = suffixes.get(suffix);
  if (namespace === '' || name === '' || rest.length > 0 || part === undefined) {
    return { kind: 'malformed', reason: `"${reference}" is not namespace:name, optionally followed by :tag, :name or :digest` };
  }
  return { kind: 'marker', policy: `${namespace}:${name}`, part };
}
