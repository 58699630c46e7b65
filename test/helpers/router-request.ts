// A request through the local router to a virtual host. fetch() may not set Host (the standard
// forbids it), so this goes through undici's request, as curl -H 'Host: …' would.
import { request } from 'undici';

export interface RoutedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function throughRouter(router: string, host: string, path = '/', headers: Record<string, string> = {}): Promise<RoutedAnswer> {
  const response = await request(`${router}${path}`, { headers: { ...headers, host } });
  return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
}
