// The demo app: a web service that answers with its version, for canary releases users can watch and
// tests can count. Every answer carries X-Demo-Version and X-Demo-Pod; /healthz and /readyz are its
// probes; /metrics exports http_request_duration_seconds{method,path,status} as an instrumented pod
// does (Prometheus adds namespace and pod when it scrapes it).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Histogram, Registry } from 'prom-client';
import { failsRequest, type DemoSettings } from './settings.ts';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

export interface DemoServer {
  server: Server;
  /** From now on /readyz answers 503 (the app is shutting down). */
  drain(): void;
}

export function createDemoServer(settings: DemoSettings): DemoServer {
  const registry = new Registry();
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of the HTTP requests the demo app answered',
    labelNames: ['method', 'path', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  let served = 0;
  let draining = false;

  const answer = (response: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8') => {
    response.writeHead(status, { 'Content-Type': type, 'X-Demo-Version': settings.version, 'X-Demo-Pod': settings.pod });
    response.end(body);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://demo').pathname;
    if (path === '/metrics') return answer(response, 200, await registry.metrics(), registry.contentType);
    if (path === '/healthz') return answer(response, 200, 'ok\n');
    if (path === '/readyz') return draining ? answer(response, 503, 'shutting down\n') : answer(response, 200, 'ok\n');
    const started = performance.now();
    if (settings.latencyMs > 0) await sleep(settings.latencyMs);
    served += 1;
    const status = failsRequest(served, settings.errorRate) ? 500 : 200;
    const body =
      status === 200
        ? `${JSON.stringify({ version: settings.version, pod: settings.pod, path })}\n`
        : `${JSON.stringify({ version: settings.version, pod: settings.pod, error: 'injected failure (DEMO_ERROR_RATE)' })}\n`;
    answer(response, status, body, 'application/json');
    // One label value for every page, so a scanner cannot blow up the metric's cardinality.
    duration.observe(
      { method: request.method ?? 'GET', path: PROBES.has(path) ? path : '/', status: String(status) },
      (performance.now() - started) / 1000,
    );
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => answer(response, 500, 'internal error\n'));
  });
  return { server, drain: () => (draining = true) };
}
