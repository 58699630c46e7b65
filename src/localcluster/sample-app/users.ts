// The sample release's users: a steady stream of requests through the router to the sample host,
// so the built-in checks always have traffic to judge, and a line every 30 s says what users got.
import type { Logger } from '../../log.ts';
import { runLoad } from '../../loadtester/load.ts';
import { SAMPLE_HOST, SAMPLE_USERS_RATE } from './manifests.ts';

const REPORT_EVERY_MS = 30_000;

export function startSampleUsers(router: string, log: Logger): { stop(): Promise<void> } {
  const stop = new AbortController();
  const loop = (async () => {
    while (!stop.signal.aborted) {
      const report = await runLoad({
        url: `${router}/`,
        headers: { host: SAMPLE_HOST },
        rate: SAMPLE_USERS_RATE,
        concurrency: 4,
        durationMs: REPORT_EVERY_MS,
        signal: stop.signal,
      });
      if (report.requests > 0) {
        const answered = Object.entries(report.statusCodes).reduce((sum, [code, n]) => sum + (code.startsWith('2') ? n : 0), 0);
        log.info(
          { requests: report.requests, statusCodes: report.statusCodes, p99Ms: report.latencyMs.p99 },
          `sample users: ${report.requests - answered} of ${report.requests} requests got no 2xx answer`,
        );
      }
    }
  })();
  return {
    async stop() {
      stop.abort();
      await loop;
    },
  };
}
