// Unit-test support: a FAKE server on 127.0.0.1 that replays recorded protocol exchanges. The
// exchanges are written from each service's API reference (request and answer shapes); none was
// captured from a live service, since this machine reaches no service outside it. The server answers
// the recorded answer only when the request matches the recording, and 400 naming the difference
// otherwise, so a provider that drifts from the protocol fails its test with the reason.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderEndpoint } from '../../../../src/analysis/providers/provider-request.ts';

export interface RecordedRequest {
  method: 'GET' | 'POST';
  /** Path and query as sent. */
  path: string;
  /** Header values by lowercase name: the exact value, or a pattern where the value depends on the run. */
  headers: Record<string, string | RegExp>;
  /** The exact body, or a check that returns what is wrong with it. */
  body?: string | ((body: string) => string | undefined);
}

export interface RecordedExchange {
  request: RecordedRequest;
  /** The answer: JSON of body, or raw text as it came. */
  response: { status: number; body?: unknown; raw?: string };
}

export interface Replay {
  url: string;
  /** Problems with requests that did not match their recording. */
  mismatches: string[];
  close(): Promise<void>;
}

function problemsOf(recorded: RecordedRequest, request: IncomingMessage, body: string): string[] {
  const problems: string[] = [];
  if (request.method !== recorded.method) problems.push(`method ${request.method}, recorded ${recorded.method}`);
  if (request.url !== recorded.path) problems.push(`path ${request.url}, recorded ${recorded.path}`);
  for (const [name, expected] of Object.entries(recorded.headers)) {
    const actual = request.headers[name];
    const ok = typeof expected === 'string' ? actual === expected : typeof actual === 'string' && expected.test(actual);
    if (!ok) problems.push(`header ${name} differs from the recording`);
  }
  if (typeof recorded.body === 'string' && body !== recorded.body) problems.push(`body ${body}, recorded ${recorded.body}`);
  if (typeof recorded.body === 'function') {
    const problem = recorded.body(body);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Replays the exchanges in order, one per request. */
export async function replay(exchanges: readonly RecordedExchange[]): Promise<Replay> {
  const mismatches: string[] = [];
  let next = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const exchange = exchanges[next++];
      const problems = exchange
        ? problemsOf(exchange.request, request, Buffer.concat(chunks).toString('utf8'))
        : ['no more recorded exchanges'];
      mismatches.push(...problems);
      response.setHeader('Content-Type', 'application/json');
      if (!exchange || problems.length > 0) {
        response.statusCode = 400;
        response.end(JSON.stringify({ error: `request differs from the recording: ${problems.join('; ')}` }));
        return;
      }
      response.statusCode = exchange.response.status;
      response.end(exchange.response.raw ?? JSON.stringify(exchange.response.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    mismatches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function endpointWith(address: string, keys: Record<string, string>, secret = 'shop/metrics-keys'): ProviderEndpoint {
  return { address, headers: {}, insecureSkipVerify: false, timeoutMs: 5000, credentials: { keys, secret } };
}

/** The path and query of a URL. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}
