// The operator's HTTP endpoints: liveness, readiness (caches synced and leadership known) and metrics.
// Later features (Git webhooks, the dashboard API) mount their routers on the same app.
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import type { OperatorMetrics } from './metrics.ts';

export interface HealthSource {
  live(): boolean;
  /** Undefined when ready; otherwise what is still missing. */
  notReadyReason(): string | undefined;
}

export function createHttpApp(health: HealthSource, metrics: OperatorMetrics): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_request, response) => {
    if (health.live()) response.type('text/plain').send('ok');
    else response.status(503).type('text/plain').send('not live');
  });
  app.get('/readyz', (_request, response) => {
    const reason = health.notReadyReason();
    if (reason === undefined) response.type('text/plain').send('ok');
    else response.status(503).type('text/plain').send(`not ready: ${reason}`);
  });
  app.get('/metrics', async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return app;
}

export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
