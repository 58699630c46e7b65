// --image, as kustomize edit set image writes it: name=newName:newTag, name=newName@sha256:..., name:newTag
// or name@sha256:... . The tag separator is the last ":" after the last "/", so registry ports survive.
import type { GitSync } from '../../api/git-sync.ts';

type ImageOverride = NonNullable<GitSync['spec']['images']>[number];

interface Reference {
  name: string;
  tag?: string;
  digest?: string;
}

function splitReference(text: string): Reference {
  const at = text.indexOf('@');
  const digest = at >= 0 ? text.slice(at + 1) : undefined;
  const rest = at >= 0 ? text.slice(0, at) : text;
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > rest.lastIndexOf('/');
  return {
    name: hasTag ? rest.slice(0, colon) : rest,
    ...(hasTag ? { tag: rest.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** The override, or what is wrong with the text. */
export function parseImageFlag(text: string): ImageOverride | { error: string } {
  const invalid = { error: `"${text}" is not name=newName:newTag, name=newName@sha256:<digest>, name:newTag or name@sha256:<digest>` };
  const equals = text.indexOf('=');
  if (equals < 0) {
    const { name, tag, digest } = splitReference(text);
    if (!name || (tag === undefined && digest === undefined)) return invalid;
    return { name, ...(tag !== undefined ? { newTag: tag } : {}), ...(digest !== undefined ? { digest } : {}) };
  }
  const name = text.slice(0, equals);
  const replacement = splitReference(text.slice(equals + 1));
  if (!name || (!replacement.name && replacement.tag === undefined && replacement.digest === undefined)) return invalid;
  return {
    name,
    ...(replacement.name ? { newName: replacement.name } : {}),
    ...(replacement.tag !== undefined ? { newTag: replacement.tag } : {}),
    ...(replacement.digest !== undefined ? { digest: replacement.digest } : {}),
  };
}
