// Kubernetes-style JSONPath templates ({.username}{':'}{.password}), as argocd-vault-plugin's jsonPath
// modifier accepts them, evaluated with jsonpath-plus. Text outside braces is literal; inside, a
// quoted string is literal and anything else is a path from the root. range/end are not supported.
// Errors name the template, never the document it was applied to.
import { JSONPath } from 'jsonpath-plus';

type Segment = { literal: string } | { path: string };

export function evaluateKubeJsonPath(template: string, document: unknown): string {
  return parseTemplate(template)
    .map((segment) => ('literal' in segment ? segment.literal : formatResults(segment.path, document)))
    .join('');
}

function parseTemplate(template: string): Segment[] {
  const segments: Segment[] = [];
  let rest = template;
  while (rest !== '') {
    const open = rest.indexOf('{');
    if (open === -1) {
      segments.push({ literal: rest });
      break;
    }
    if (open > 0) segments.push({ literal: rest.slice(0, open) });
    const close = closingBrace(rest, open);
    if (close === -1) throw new Error(`unclosed { in jsonPath ${template}`);
    segments.push(expression(rest.slice(open + 1, close).trim(), template));
    rest = rest.slice(close + 1);
  }
  return segments;
}

/** The brace that closes the one at `open`, skipping braces inside quotes. */
function closingBrace(text: string, open: number): number {
  let quote: string | undefined;
  for (let index = open + 1; index < text.length; index += 1) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '}') return index;
  }
  return -1;
}

function expression(body: string, template: string): Segment {
  const quoted = /^'(.*)'$|^"(.*)"$/s.exec(body);
  if (quoted) return { literal: quoted[1] ?? quoted[2] ?? '' };
  if (body === '' || /^(range|end)\b/.test(body)) throw new Error(`unsupported jsonPath expression {${body}} in ${template}`);
  if (body.startsWith('$')) return { path: body };
  if (body.startsWith('.') || body.startsWith('[')) return { path: `$${body}` };
  return { path: `$.${body}` };
}

function formatResults(path: string, document: unknown): string {
  let results: unknown[];
  try {
    results = JSONPath({ path, json: document as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch {
    throw new Error(`jsonPath ${path} cannot be evaluated`);
  }
  if (!Array.isArray(results) || results.length === 0) throw new Error(`jsonPath ${path} matches nothing`);
  return results.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(' ');
}
