// Checks run in the background so that a slow webhook or metrics server holds up only its own
// Canary, never a worker the other Canaries need. A reconcile that needs checks starts them and
// decides without them; when they finish, the Canary is queued again and the next reconcile uses
// the results, if they are still for the same moment of its run. The results live in memory only:
// after a restart the checks simply run again.
import type { Gate, Verdict } from './analysis-seam.ts';

export interface CheckResults {
  verdict?: Verdict;
  gates: Partial<Record<Gate, boolean>>;
  preRollout?: Verdict;
  rollbackRequested?: boolean;
  metricsOffline?: string;
}

export class BackgroundChecks {
  private readonly running = new Map<string, string>();
  private readonly finished = new Map<string, { moment: string; results: CheckResults }>();
  private readonly onDone: (key: string) => void;

  constructor(onDone: (key: string) => void) {
    this.onDone = onDone;
  }

  /** The results for `moment` if they are in (handed out once), or 'pending' while checks run. */
  collect(key: string, moment: string, run: () => Promise<CheckResults>): CheckResults | 'pending' {
    const done = this.finished.get(key);
    if (done) {
      this.finished.delete(key);
      if (done.moment === moment) return done.results;
    }
    if (this.running.has(key)) return 'pending';
    this.running.set(key, moment);
    void run()
      .catch((error: unknown): CheckResults => ({
        gates: {},
        verdict: { passed: false, checks: [{ name: 'analysis', kind: 'webhook', passed: false, reason: 'Error', message: String(error) }] },
      }))
      .then((results) => {
        this.running.delete(key);
        this.finished.set(key, { moment, results });
        this.onDone(key);
      });
    return 'pending';
  }

  forget(key: string): void {
    this.finished.delete(key);
  }
}
