// Parsing of WWW-Authenticate (RFC 7235). A header may carry several challenges, and fetch joins
// repeated headers with ", ", so commas separate both parameters and challenges; quoted values may
// contain commas too.

export interface AuthChallenge {
  /** Lowercased, e.g. "bearer" or "basic". */
  scheme: string;
  /** Parameter names lowercased; values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const WHITESPACE = /[ \t]*/y;
const BARE_VALUE = /[^\s,]+/y;

export function parseAuthChallenges(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let position = 0;
  const skip = (pattern: RegExp) => {
    pattern.lastIndex = position;
    const match = pattern.exec(header);
    if (match) position += match[0].length;
    return match?.[0];
  };
  const skipSeparators = () => {
    while (position < header.length && /[ \t,]/.test(header[position] ?? '')) position++;
  };

  skipSeparators();
  while (position < header.length) {
    const scheme = skip(TOKEN);
    if (!scheme) break; // garbage: keep what was understood so far
    const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    for (;;) {
      skipSeparators();
      const start = position;
      const name = skip(TOKEN);
      if (!name) break;
      skip(WHITESPACE);
      if (header[position] !== '=') {
        position = start; // a token without '=' starts the next challenge
        break;
      }
      position++;
      skip(WHITESPACE);
      if (header[position] === '=') {
        // token68 (e.g. "Negotiate abc=="): not a parameter list, nothing a registry client needs
        while (header[position] === '=') position++;
        continue;
      }
      challenge.params[name.toLowerCase()] = header[position] === '"' ? readQuoted() : (skip(BARE_VALUE) ?? '');
    }
  }
  return challenges;

  function readQuoted(): string {
    let value = '';
    position++; // opening quote
    while (position < header.length && header[position] !== '"') {
      if (header[position] === '\\') position++;
      value += header[position] ?? '';
      position++;
    }
    position++; // closing quote
    return value;
  }
}

/** The challenge a registry client should answer: Bearer if offered, else Basic. */
export function preferredChallenge(challenges: AuthChallenge[]): AuthChallenge | undefined {
  return challenges.find((challenge) => challenge.scheme === 'bearer') ?? challenges.find((challenge) => challenge.scheme === 'basic');
}
