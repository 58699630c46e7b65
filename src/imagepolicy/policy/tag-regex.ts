export type CompiledRegex = { regex: RegExp; error?: undefined } | { regex?: undefined; error: string };

/**
 * Compiles a user's tag regex. Flux users bring Go (RE2) patterns, whose named groups are written
 * `(?P<name>…)`; JS only knows `(?<name>…)`, so that spelling is rewritten first. No flags: tags are
 * ASCII, and the `u` flag would reject escapes like `\-` that Go accepts.
 */
export function compileTagRegex(pattern: string): CompiledRegex {
  try {
    return { regex: new RegExp(goNamedGroupsToJs(pattern)) };
  } catch (error) {
    return { error: `invalid regular expression: ${regexErrorDetail(error)}` };
  }
}

/** Rewrites `(?P<` to `(?<` where it opens a group, leaving escaped parentheses and character classes alone. */
export function goNamedGroupsToJs(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') {
      out += pattern.slice(i, i + 2);
      i++;
    } else if (inClass) {
      if (char === ']') inClass = false;
      out += char;
    } else if (char === '[') {
      inClass = true;
      out += char;
    } else if (pattern.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else {
      out += char;
    }
  }
  return out;
}

/** The names and count of the capture groups a regex defines. */
export function captureGroups(regex: RegExp): { names: Set<string>; count: number } {
  // Appending an empty alternative makes the regex match '' so exec reports every group, matched or not.
  const probe = new RegExp(`${regex.source}|`).exec('');
  return { names: new Set(Object.keys(probe?.groups ?? {})), count: (probe?.length ?? 1) - 1 };
}

// V8 says "Invalid regular expression: /(/: Unterminated group"; the field name already says which
// pattern, so keep only the part after the echoed pattern.
function regexErrorDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
}
