// A loopback HTTP server that load is sent to: it counts the requests it gets, and can fail every
// n-th one with a 503.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export interface LoadTarget {
  url: string;
  origin: string;
  hits: () => number;
}

export async function loadTarget(t: TestContext, failEvery = 0): Promise<LoadTarget> {
  let hits = 0;
  const server = createServer((_request, response) => {
    hits += 1;
    response.writeHead(failEvery && hits % failEvery === 0 ? 503 : 200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `${origin}/`, origin, hits: () => hits };
}
