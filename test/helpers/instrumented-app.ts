// A small web app that stands in for a canary's pods: it serves real HTTP requests, with an error
// rate and latency the test controls, and exports http_request_duration_seconds as an instrumented
// pod would, labelled with the pod's namespace and name.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Histogram, Registry } from 'prom-client';

export class InstrumentedApp {
  /** Share of requests answered with 500 (0..1). */
  errorRate = 0;
  latencyMs = 2;
  private server: Server | undefined;
  private requests = 0;
  private readonly registry = new Registry();
  private readonly histogram: Histogram<'namespace' | 'pod' | 'status'>;
  private readonly labels: { namespace: string; pod: string };

  constructor(namespace: string, pod: string) {
    this.labels = { namespace, pod };
    this.histogram = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests',
      labelNames: ['namespace', 'pod', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
  }

  async start(t: TestContext): Promise<this> {
    this.server = createServer(async (request, response) => {
      if (request.url === '/metrics') {
        response.writeHead(200, { 'Content-Type': this.registry.contentType }).end(await this.registry.metrics());
        return;
      }
      const started = performance.now();
      await sleep(this.latencyMs);
      this.requests += 1;
      const failing = this.errorRate > 0 && (this.requests * this.errorRate) % 1 < this.errorRate;
      const status = failing ? 500 : 200;
      response.writeHead(status).end(failing ? 'injected failure' : 'ok');
      this.histogram.observe({ ...this.labels, status: String(status) }, (performance.now() - started) / 1000);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      this.server?.closeAllConnections();
      this.server?.close();
    });
    return this;
  }

  get address(): string {
    return `127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  get url(): string {
    return `http://${this.address}/`;
  }
}
