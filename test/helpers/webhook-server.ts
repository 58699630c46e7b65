// A real HTTP endpoint on loopback that plays a webhook receiver (a load tester, an approval gate):
// the test decides what each path answers and reads back what was posted.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export interface ReceivedCall {
  /** The path without its query string. */
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export class WebhookServer {
  readonly calls: ReceivedCall[] = [];
  private readonly answers = new Map<string, { status: number; body: string | undefined }>();
  private server: Server | undefined;

  /** HTTP status (and body) the path answers with from now on (default 200). */
  answer(path: string, status: number, body?: string): void {
    this.answers.set(path, { status, body });
  }

  url(path: string): string {
    const port = (this.server?.address() as AddressInfo).port;
    return `http://127.0.0.1:${port}${path}`;
  }

  callsTo(path: string): ReceivedCall[] {
    return this.calls.filter((call) => call.path === path);
  }

  async start(t: TestContext): Promise<this> {
    this.server = createServer((request, response) => {
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (text += chunk));
      request.on('end', () => {
        const [path = '/', query = ''] = (request.url ?? '/').split('?', 2);
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          body = { raw: text };
        }
        this.calls.push({ path, query, headers: request.headers, body });
        const { status, body: answer } = this.answers.get(path) ?? { status: 200, body: undefined };
        response.writeHead(status, { 'Content-Type': answer?.startsWith('{') ? 'application/json' : 'text/plain' });
        response.end(answer ?? (status < 300 ? 'ok' : 'refused by the test'));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      this.server?.closeAllConnections();
      this.server?.close();
    });
    return this;
  }
}
