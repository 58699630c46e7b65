// What the demo app is told by its environment, as its container image and pod template set it:
// the version it reports (the image tag), the port, and the faults a "bad version" carries.
export interface DemoSettings {
  version: string;
  pod: string;
  port: number;
  /** Share of requests answered 500, 0..1. */
  errorRate: number;
  /** Added to every request to a page, in milliseconds. */
  latencyMs: number;
  /**
   * After SIGTERM the app keeps serving this long (answering /readyz with 503) before it closes, so
   * routers that still list it have time to learn it is going: a well-behaved pod loses no request.
   */
  shutdownDelayMs: number;
}

export class DemoSettingsError extends Error {}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, integer = false): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new DemoSettingsError(`${name}=${JSON.stringify(text)}: give ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}

/** Reads the settings; a bad value is an error naming the variable (the app then exits, as a misconfigured app does). */
export function demoSettings(env: NodeJS.ProcessEnv): DemoSettings {
  return {
    version: env.DEMO_VERSION?.trim() || 'dev',
    pod: env.HOSTNAME?.trim() || 'demo-app',
    port: number(env, 'PORT', 8080, 1, 65535, true),
    errorRate: number(env, 'DEMO_ERROR_RATE', 0, 0, 1),
    latencyMs: number(env, 'DEMO_LATENCY_MS', 0, 0, 60_000),
    shutdownDelayMs: number(env, 'DEMO_SHUTDOWN_DELAY_MS', 3000, 0, 60_000, true),
  };
}

/**
 * Whether the n-th request (1-based) is one of the injected failures: spread evenly, so any window of
 * requests fails at the configured rate (no randomness to make a test flaky).
 */
export function failsRequest(n: number, errorRate: number): boolean {
  if (errorRate <= 0) return false;
  if (errorRate >= 1) return true;
  return Math.floor(n * errorRate) > Math.floor((n - 1) * errorRate);
}
