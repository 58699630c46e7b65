// Go's regexp.Expand template syntax, which Flux's filterTags.extract uses: `$name` (the longest run of
// letters, digits and `_`), `${name}`, `$1` (all-digit names are group numbers), `$$` for a literal `$`.

export type TemplatePart = { literal: string } | { group: string };

export type ParsedTemplate = { parts: TemplatePart[]; error?: undefined } | { parts?: undefined; error: string };

const NAME = /^[A-Za-z0-9_]+/;
const BRACED_NAME = /^\{([A-Za-z0-9_]+)\}/;

export function parseExtractTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar === -1) {
      literal += template.slice(i);
      break;
    }
    literal += template.slice(i, dollar);
    const rest = template.slice(dollar + 1);
    if (rest.startsWith('$')) {
      literal += '$';
      i = dollar + 2;
      continue;
    }
    const reference = BRACED_NAME.exec(rest) ?? NAME.exec(rest);
    // Go copies a stray `$` through literally; that is almost always a typo, so it is an error here.
    if (!reference) return { error: `"$" at position ${dollar} is not followed by a group name (write "$$" for a literal "$")` };
    if (literal) parts.push({ literal });
    literal = '';
    parts.push({ group: reference[1] ?? reference[0] });
    i = dollar + 1 + reference[0].length;
  }
  if (literal) parts.push({ literal });
  return { parts };
}

/** The group names and numbers a template refers to, in order of first use. */
export function referencedGroups(parts: TemplatePart[]): string[] {
  const groups = parts.flatMap((part) => ('group' in part ? [part.group] : []));
  return [...new Set(groups)];
}

/** Fills the template from a match; a group that did not take part in the match contributes '' (as in Go). */
export function expandTemplate(parts: TemplatePart[], match: RegExpExecArray): string {
  return parts
    .map((part) => {
      if ('literal' in part) return part.literal;
      const value = /^\d+$/.test(part.group) ? match[Number(part.group)] : match.groups?.[part.group];
      return value ?? '';
    })
    .join('');
}

/** Whether a regex with these groups defines the referenced one. */
export function definesGroup(groups: { names: Set<string>; count: number }, group: string): boolean {
  return /^\d+$/.test(group) ? Number(group) <= groups.count : groups.names.has(group);
}
