// Built-in load generation, so a canary receives traffic without hey, k6 or any other tool: a
// fixed request rate spread over a number of concurrent connections for a duration.
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';

export interface LoadSpec {
  url: string;
  /** Requests per second, over all connections. */
  rate: number;
  concurrency: number;
  durationMs: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** Ends the load early: requests in flight finish, no new one starts. */
  signal?: AbortSignal;
}

export interface LoadReport {
  requests: number;
  successes: number;
  failures: number;
  statusCodes: Record<string, number>;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

export async function runLoad(spec: LoadSpec): Promise<LoadReport> {
  const agent = new Agent({ connections: spec.concurrency });
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let successes = 0;
  const started = performance.now();
  const intervalMs = 1000 / spec.rate;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const slot = next++;
      const at = slot * intervalMs;
      if (at >= spec.durationMs || spec.signal?.aborted) return;
      const wait = started + at - performance.now();
      if (wait > 0) await sleep(wait, undefined, spec.signal ? { signal: spec.signal } : {}).catch(() => undefined);
      if (spec.signal?.aborted) return;
      const sent = performance.now();
      let code = 'error';
      try {
        // undici's request, not fetch: it sends a Host header as given (a router's virtual host), and
        // it never follows a redirect, so load goes only to the allowed target.
        const response = await request(spec.url, {
          method: (spec.method ?? 'GET') as Dispatcher.HttpMethod,
          headers: spec.headers ?? {},
          body: spec.body,
          signal: AbortSignal.timeout(spec.timeoutMs ?? 10_000),
          dispatcher: agent,
        });
        await response.body.dump();
        code = String(response.statusCode);
        if (response.statusCode < 500) successes += 1;
      } catch {
        code = 'error';
      }
      latencies.push(performance.now() - sent);
      statusCodes[code] = (statusCodes[code] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  await agent.close();
  latencies.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    requests: latencies.length,
    successes,
    failures: latencies.length - successes,
    statusCodes,
    latencyMs: {
      p50: round(quantile(latencies, 0.5)),
      p90: round(quantile(latencies, 0.9)),
      p99: round(quantile(latencies, 0.99)),
      max: round(latencies.at(-1) ?? 0),
    },
  };
}
