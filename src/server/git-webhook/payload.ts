// Which repository a delivery is about. GitHub and GitLab name it several ways (https, ssh, web);
// generic senders post {"repository": "<url>"} or {"url": "<url>"}.
const REPOSITORY_FIELDS = ['clone_url', 'ssh_url', 'html_url', 'git_url', 'git_http_url', 'git_ssh_url', 'web_url', 'url'];

/** The JSON payload, also from GitHub's form encoding (payload=<json>); undefined when it does not parse. */
export function parsePayload(body: Buffer, contentType: string | undefined): unknown {
  try {
    const text = body.toString('utf8');
    if (/^application\/x-www-form-urlencoded/i.test(contentType ?? '')) {
      const json = new URLSearchParams(text).get('payload');
      return json === null ? undefined : JSON.parse(json);
    }
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every repository URL the payload names, once each. */
export function repositoryUrls(payload: unknown): string[] {
  if (!isObject(payload)) return [];
  const urls: unknown[] = [payload.repository, payload.url];
  for (const owner of [payload.repository, payload.project]) {
    if (isObject(owner)) urls.push(...REPOSITORY_FIELDS.map((field) => owner[field]));
  }
  return [...new Set(urls.filter((url): url is string => typeof url === 'string' && url.length > 0))];
}
