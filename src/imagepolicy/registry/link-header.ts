// Parsing of the Link header (RFC 8288) that registries send to page through tag lists:
//   Link: </v2/team/app/tags/list?last=v3&n=3>; rel="next"

/** The rel="next" target resolved against the URL of the response that carried it, if any. */
export function nextPageUrl(header: string | null | undefined, responseUrl: string): string | undefined {
  if (!header) return undefined;
  for (const link of splitLinks(header)) {
    const match = /^\s*<([^>]*)>(.*)$/s.exec(link);
    if (!match) continue;
    const [, target = '', params = ''] = match;
    const rel = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(params);
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (!relations.includes('next')) continue;
    try {
      return new URL(target, responseUrl).toString();
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Splits on the commas between links, not the ones inside <...> or quoted parameters. */
function splitLinks(header: string): string[] {
  const links: string[] = [];
  let current = '';
  let inUrl = false;
  let inQuotes = false;
  for (const char of header) {
    if (char === '<' && !inQuotes) inUrl = true;
    else if (char === '>' && !inQuotes) inUrl = false;
    else if (char === '"' && !inUrl) inQuotes = !inQuotes;
    if (char === ',' && !inUrl && !inQuotes) {
      links.push(current);
      current = '';
    } else current += char;
  }
  links.push(current);
  return links;
}
