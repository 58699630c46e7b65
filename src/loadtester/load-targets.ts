// Where the load tester may send load: the origins (scheme://host:port) its operator allows with
// --allow-target. A pattern's host may use * for exactly one DNS label, so http://*.test:9898 allows
// http://podinfo-canary.test:9898 but neither http://a.b.test:9898 nor any other scheme or port.
// Without this, anyone who can post a hook could make the load tester flood any URL it can reach.

export interface TargetPattern {
  /** The pattern as given, for messages. */
  text: string;
  scheme: string;
  /** Host labels in lower case; '*' stands for any one label. */
  labels: string[];
  port: number;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };
const PATTERN = /^(https?):\/\/([^/?#@:[\]]+|\[[0-9a-f:.]+\])(?::(\d{1,5}))?\/?$/i;

/** Parses an --allow-target pattern; the error says what is wrong with it. */
export function parseTargetPattern(text: string): TargetPattern {
  const problem = (why: string) =>
    new Error(`--allow-target "${text}": ${why}; e.g. http://podinfo-canary.test:9898 or http://*.test:9898`);
  const match = PATTERN.exec(text.trim());
  if (!match) throw problem('give scheme://host:port (http or https) with no path, query or user');
  const scheme = (match[1] as string).toLowerCase();
  const port = match[3] === undefined ? (DEFAULT_PORTS[scheme] as number) : Number(match[3]);
  if (port < 1 || port > 65535) throw problem('the port must be between 1 and 65535');
  const given = (match[2] as string).split('.');
  if (given.some((label) => label.includes('*') && label !== '*')) throw problem('* stands for a whole label, as in *.test');
  // The WHATWG parser normalises the rest of the host (case, IDN); a stand-in keeps each * in its place.
  let labels: string[];
  try {
    labels = new URL(`${scheme}://${given.map((label) => (label === '*' ? 'a' : label)).join('.')}`).hostname.split('.');
  } catch {
    throw problem('the host is not valid');
  }
  if (labels.some((label) => label === '')) throw problem('the host has an empty label');
  if (!given.includes('*')) return { text, scheme, labels, port };
  if (labels.length !== given.length) throw problem('the host is not valid');
  return { text, scheme, labels: labels.map((label, index) => (given[index] === '*' ? '*' : label)), port };
}

interface Origin {
  scheme: string;
  labels: string[];
  port: number;
}

function originParts(url: string): Origin | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[scheme];
  return port === undefined ? undefined : { scheme, labels: parsed.hostname.split('.'), port };
}

/** scheme://host:port of a URL, with the port always written out (as patterns match it). */
export function targetOrigin(url: string): string {
  const origin = originParts(url);
  return origin ? `${origin.scheme}://${origin.labels.join('.')}:${origin.port}` : url;
}

export function matchesTarget(pattern: TargetPattern, url: string): boolean {
  const origin = originParts(url);
  if (!origin || origin.scheme !== pattern.scheme || origin.port !== pattern.port) return false;
  if (origin.labels.length !== pattern.labels.length) return false;
  return pattern.labels.every((label, index) => {
    const actual = origin.labels[index] as string;
    return label === '*' ? actual !== '' : label === actual;
  });
}

export const targetAllowed = (patterns: readonly TargetPattern[], url: string): boolean =>
  patterns.some((pattern) => matchesTarget(pattern, url));
