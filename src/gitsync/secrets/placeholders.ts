// argocd-vault-plugin placeholders in one object: parsing and substitution, with the store behind
// PlaceholderBackend. Behaviour follows AVP:
//  - <key> resolves against the path in avp.kubernetes.io/path (version: avp.kubernetes.io/secret-version);
//    without that annotation only <path:p#key> and <path:p#key#version> are placeholders, so other
//    <text> (usage strings in CRDs) is left alone;
//  - modifiers follow a | (<key | jsonPath {.a} | base64encode>);
//  - avp.kubernetes.io/ignore: "true" skips the object; avp.kubernetes.io/kv-version goes to the backend;
//  - values go in as stored: a Secret's data needs base64 in the store or | base64encode, except that a
//    data value which is itself base64 of text with placeholders is decoded, filled and re-encoded
//    (what Kustomize secretGenerator produces); ConfigMap values are turned into strings.
// Two deliberate differences: the base64 case is applied to a Secret's data only (AVP tries every string
// of a Secret), and a non-string value inside surrounding text is written as text (AVP drops the text).
import type { KubeObject } from '../../kube/objects.ts';
import { describePath, type FieldPath } from './field-path.ts';
import { PathNotFoundError, type PlaceholderBackend } from './placeholder-backend.ts';
import { applyModifiers, isStrictBase64 } from './placeholder-modifiers.ts';

export const PATH_ANNOTATION = 'avp.kubernetes.io/path';
export const IGNORE_ANNOTATION = 'avp.kubernetes.io/ignore';
export const KV_VERSION_ANNOTATION = 'avp.kubernetes.io/kv-version';
export const SECRET_VERSION_ANNOTATION = 'avp.kubernetes.io/secret-version';

export interface Placeholder {
  /** Inline path, or undefined for a generic <key>. */
  path?: string;
  key: string;
  version?: string;
  modifiers: string[];
}

const GENERIC = /<(.*?)>/g;
const INLINE_ONLY = /<(path:[^#>]+?#[^#>]+?(?:#[^#>]+?)?)>/g;
const INLINE_SYNTAX = /^path:([^#]+)#([^#]+)(?:#(.+))?$/s;

/** The text between < and >, e.g. "path:secret/data/db#password#2 | base64encode". */
export function parsePlaceholder(body: string): Placeholder {
  const [head = '', ...modifiers] = body.split('|');
  const reference = head.trim();
  const inline = INLINE_SYNTAX.exec(reference);
  if (!inline) return { key: reference, modifiers };
  const version = inline[3]?.trim();
  return { path: inline[1]?.trim() ?? '', key: inline[2]?.trim() ?? '', ...(version ? { version } : {}), modifiers };
}

/** Go's strconv.ParseBool true values, as AVP reads the ignore annotation. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
}

/** The object with every placeholder filled in; rejects listing what could not be, without values. */
export async function substitutePlaceholders(object: KubeObject, backend: PlaceholderBackend): Promise<KubeObject> {
  const annotations = object.metadata?.annotations ?? {};
  if (isTrue(annotations[IGNORE_ANNOTATION])) return object;
  const context = new Substitution(annotations, backend, object.kind);
  const result = (await context.walk(object, [])) as KubeObject;
  if (context.problems.length > 0) {
    const shown = context.problems.slice(0, 5);
    const more = context.problems.length - shown.length;
    throw new Error(shown.join('; ') + (more > 0 ? `; and ${more} more` : ''));
  }
  return result;
}

class Substitution {
  readonly problems: string[] = [];
  private readonly pattern: RegExp;
  private readonly annotationPath: string | undefined;
  private readonly annotations: Record<string, string>;
  private readonly backend: PlaceholderBackend;
  private readonly kind: string | undefined;

  constructor(annotations: Record<string, string>, backend: PlaceholderBackend, kind: string | undefined) {
    this.annotations = annotations;
    this.backend = backend;
    this.kind = kind;
    this.annotationPath = annotations[PATH_ANNOTATION];
    this.pattern = this.annotationPath === undefined ? INLINE_ONLY : GENERIC;
  }

  async walk(value: unknown, path: FieldPath): Promise<unknown> {
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (const [index, item] of value.entries()) items.push(await this.walk(item, [...path, index]));
      return items;
    }
    if (typeof value === 'object' && value !== null) {
      const entries: [string, unknown][] = [];
      for (const [key, item] of Object.entries(value)) entries.push([key, await this.walk(item, [...path, key])]);
      return Object.fromEntries(entries);
    }
    if (typeof value !== 'string') return value;
    const filled =
      this.kind === 'Secret' && path.length === 2 && path[0] === 'data' ? await this.secretData(value, path) : await this.fill(value, path);
    return this.kind === 'ConfigMap' ? asText(filled) : filled;
  }

  /** A Secret data value that is base64 of text with placeholders is filled and encoded again. */
  private async secretData(value: string, path: FieldPath): Promise<unknown> {
    const decoded = isStrictBase64(value) ? utf8(Buffer.from(value, 'base64')) : undefined;
    if (decoded === undefined || !new RegExp(this.pattern.source).test(decoded)) return this.fill(value, path);
    return Buffer.from(asText(await this.fill(decoded, path)), 'utf8').toString('base64');
  }

  private async fill(value: string, path: FieldPath): Promise<unknown> {
    const matches = [...value.matchAll(this.pattern)];
    if (matches.length === 0) return value;
    let text = '';
    let offset = 0;
    for (const match of matches) {
      const resolved = await this.resolve(parsePlaceholder(match[1] ?? ''), path);
      const whole = matches.length === 1 && match[0] === value;
      if (whole && resolved.ok && typeof resolved.value !== 'string') return resolved.value;
      text += value.slice(offset, match.index) + (resolved.ok ? asText(resolved.value) : match[0]);
      offset = match.index + match[0].length;
    }
    return text + value.slice(offset);
  }

  private async resolve(placeholder: Placeholder, field: FieldPath): Promise<{ ok: true; value: unknown } | { ok: false }> {
    const where = `${describePath(field)}: `;
    const path = placeholder.path ?? this.annotationPath;
    if (!path) {
      this.problems.push(`${where}placeholder <${placeholder.key}> has no path (${PATH_ANNOTATION} is empty)`);
      return { ok: false };
    }
    const version = placeholder.path === undefined ? this.annotations[SECRET_VERSION_ANNOTATION] : placeholder.version;
    const kvVersion = this.annotations[KV_VERSION_ANNOTATION];
    try {
      const data = await this.backend.read(path, version || undefined, kvVersion ? { kvVersion } : {});
      const value = Object.hasOwn(data, placeholder.key) ? data[placeholder.key] : undefined;
      if (value === undefined || value === null) {
        this.problems.push(`${where}key "${placeholder.key}" not found at path "${path}"`);
        return { ok: false };
      }
      return { ok: true, value: applyModifiers(value, placeholder.modifiers) };
    } catch (error) {
      const reason = (error as Error).message;
      this.problems.push(
        `${where}${error instanceof PathNotFoundError ? reason : `key "${placeholder.key}" at path "${path}": ${reason}`}`,
      );
      return { ok: false };
    }
  }
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
