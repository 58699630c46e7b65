/**
 * Shell-style glob over a whole tag: `*` matches any run of characters (also none), `?` exactly one,
 * everything else itself. No character classes: tags are [A-Za-z0-9_.-], so `[` never needs meaning.
 */
export function matchesGlob(pattern: string, text: string): boolean {
  // Two pointers with one backtrack point (the last `*`): linear-ish and immune to the
  // catastrophic backtracking a glob-to-regex translation can hit with many stars.
  let p = 0;
  let t = 0;
  let starAt = -1;
  let textAtStar = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || (pattern[p] !== '*' && pattern[p] === text[t]))) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      starAt = p++;
      textAtStar = t;
    } else if (starAt !== -1) {
      p = starAt + 1;
      t = ++textAtStar;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
